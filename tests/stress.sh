#!/usr/bin/env bash
# The whole suite N times in a row (default 10) with one core kept busy, as on a shared 2-core
# machine: for anyone touching a process-level or timing-sensitive test. `dotnet test` itself
# stays one run; this is the check that a test passes every time, not just once.
# Usage: tests/stress.sh [N] [more dotnet test arguments, e.g. --filter "FullyQualifiedName~Otlp"]
set -uo pipefail
runs="${1:-10}"
[ $# -gt 0 ] && shift
case "$runs" in
  '' | *[!0-9]* | 0) echo "usage: $0 [N>0] [dotnet test arguments...]" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
logs=$(mktemp -d "${TMPDIR:-/tmp}/batchjob-stress.XXXXXX")

# One core busy, as the issue's `while :; do :; done &`; stopped (this process only) on any exit.
( while :; do :; done ) &
busy=$!
trap 'kill "$busy" 2>/dev/null' EXIT
trap 'exit 130' INT TERM

if ! dotnet build >"$logs/build.log" 2>&1; then
  echo "build failed, see $logs/build.log" >&2
  exit 1
fi

passed=0
failed=0
for run in $(seq 1 "$runs"); do
  started=$SECONDS
  if dotnet test --no-build "$@" >"$logs/run-$run.log" 2>&1; then
    passed=$((passed + 1))
    echo "run $run/$runs: passed in $((SECONDS - started)) s"
  else
    failed=$((failed + 1))
    echo "run $run/$runs: FAILED in $((SECONDS - started)) s, log: $logs/run-$run.log"
    grep -aE '^[[:space:]]+Failed ' "$logs/run-$run.log" | head -20 | sed 's/^[[:space:]]*/    /'
  fi
done

echo "$passed passed, $failed failed of $runs runs with one core busy (logs: $logs)"
[ "$failed" -eq 0 ]
