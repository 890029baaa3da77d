#!/usr/bin/env bash
# The guide's "Resource Throttling Impact" table, measured:   sudo bench/throttle.sh
#
# Runs the published worker (bench/run.sh publishes it; this script does too if it is missing)
# with CPU_BURN_MS of simulated model work per record under CPU limits of 250m, 500m and 1000m,
# enforced the way Kubernetes enforces `limits.cpu`: a CFS quota on a cgroup (quota/period =
# cores). Prints a Markdown table from each run's summary. Needs root and a writable cgroup
# cpu controller (v1 /sys/fs/cgroup/cpu or v2 /sys/fs/cgroup); without one it says so and
# prints the unthrottled run only.
#
# Environment: RECORDS (default 100), CPU_BURN_MS (default 45, the guide's 500m latency),
# LIMITS (default "250 500 1000", millicores).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
out=$here/out
records=${RECORDS:-100}
burn=${CPU_BURN_MS:-45}
limits=${LIMITS:-250 500 1000}
mkdir -p "$out"
worker=$out/worker/BatchJob
if [[ ! -x $worker ]]; then
    dotnet publish "$repo/app/BatchJob.csproj" -c Release -o "$out/worker" --nologo -v quiet >&2
fi
input=$out/throttle-$records.jsonl
python3 "$here/gen_input.py" "$records" "$input"

# shellcheck source=bench/cgroup.sh
source "$here/cgroup.sh"
if [[ -z $cgroot ]]; then
    echo "no writable cgroup cpu controller: running unthrottled only" >&2
    limits=""
fi

# run LIMIT_MILLICORES: prints "latency records_per_hour cost_per_record" from the summary.
run() {
    local millicores=$1 cg="" summary cpu=${1}m
    [[ $millicores == none ]] && cpu=1
    local cmd=(env -i PATH="$PATH" ENABLE_TELEMETRY=false LOG_RECORDS=false CPU_BURN_MS="$burn"
        CPU_LIMIT="$cpu" CPU_REQUEST="$cpu" INPUT_PATH="$input" "$worker")
    if [[ -n $cgroot && $millicores != none ]]; then
        cg=$(cgroup_with_quota "batchjob-throttle-$millicores-$$" "$millicores")
        summary=$(sh -c 'echo $$ > "$1/cgroup.procs"; shift; exec "$@"' sh "$cg" "${cmd[@]}" | grep '"Batch job completed"')
        rmdir "$cg"
    else
        summary=$("${cmd[@]}" | grep '"Batch job completed"')
    fi
    python3 -c '
import json, sys
s = json.loads(sys.stdin.read())["summary"]
per_hour = s["successful"] / (s["batch_processing_ms"] / 3_600_000)
print("%.1f %s %.3g %s" % (s["avg_latency_ms"], format(round(per_hour), ","), s["cost_per_record_usd"], s["cpu_utilization"]))
' <<<"$summary"
}

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), cgroup v$cgversion, $records records, CPU_BURN_MS=$burn"
echo
echo "| CPU limit | avg latency ms | records/hour | cost/record USD | cpu_utilization |"
echo "| --- | ---: | ---: | ---: | ---: |"
for limit in $limits; do
    read -r latency per_hour cost util < <(run "$limit")
    echo "| ${limit}m | $latency | $per_hour | $cost | $util |"
done
read -r latency per_hour cost util < <(run none)
echo "| unthrottled (priced as 1 core) | $latency | $per_hour | $cost | $util |"
