#!/usr/bin/env bash
# Paired A/B of two published workers on one machine:   bench/compare.sh A_DIR B_DIR [PAIRS]
#
# Each DIR holds a published worker (`dotnet publish app/BatchJob.csproj -c Release -r linux-x64
# --self-contained false -o DIR`, as bench/run.sh publishes it). The runs alternate A, B, A, B ...
# so that load from other processes on a shared machine hits both alike, and each row reports the
# median of PAIRS runs (default 7) of each side, wall and CPU (user + sys), and B's change against A. Rows, as in bench/run.sh:
#   lab-default   1,000,000 records, a log line and an exported span (and log record) per record
#   throughput    1,000,000 records, LOG_RECORDS=false, record spans sampled 1 in 1000, OUTPUT_PATH
#   sample        the bundled two-record input, start to exit (ms, measured around the process)
# Telemetry goes to bench/otlp_sink.py over OTLP/HTTP. A_ENV and B_ENV add variables to one side
# only, e.g. B_ENV="OTEL_LOGS_EXPORTER=none" prices a switch with A_DIR = B_DIR. ROWS picks rows
# (default "lab-default throughput sample").
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
a=$(cd "$1" && pwd)/BatchJob
b=$(cd "$2" && pwd)/BatchJob
pairs=${3:-7}
read -r -a rows <<<"${ROWS:-lab-default throughput sample}"
records=${RECORDS:-1000000}
port=${SINK_PORT:-4318}
out=$here/out
mkdir -p "$out"
read -r -a a_env <<<"${A_ENV:-}"
read -r -a b_env <<<"${B_ENV:-}"

input=$out/input-$records.jsonl
if [[ ! -s $input ]] || [[ $(wc -l <"$input") -ne $records ]]; then
    python3 "$here/gen_input.py" "$records" "$input"
fi

# shellcheck source=bench/sink.sh
source "$here/sink.sh"
throughput=(LOG_RECORDS=false OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.001 OUTPUT_PATH="$out/predictions-ab.jsonl")

# run WORKER ENV...: prints the wall time in ms and the CPU time (user + sys) in ms.
run() {
    local worker=$1
    shift
    local start end
    start=$(date +%s%N)
    (cd "$out" && /usr/bin/time -f '%U %S' -o "$out/cpu.txt" "${worker_env[@]}" "$@" "$worker" >/dev/null)
    end=$(date +%s%N)
    echo "$(((end - start) / 1000000)) $(awk '{printf "%d", ($1 + $2) * 1000}' "$out/cpu.txt")"
}

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }

declare -A times cpus
for row in "${rows[@]}"; do
    case $row in
        lab-default) row_env=(INPUT_PATH="$input") ;;
        throughput) row_env=(INPUT_PATH="$input" "${throughput[@]}") ;;
        sample) row_env=() ;;
    esac
    for i in $(seq "$pairs"); do
        for side in a b; do
            if [[ $side == a ]]; then
                read -r wall cpu < <(run "$a" "${a_env[@]}" "${row_env[@]}")
            else
                read -r wall cpu < <(run "$b" "${b_env[@]}" "${row_env[@]}")
            fi
            times[$row,$side]+="$wall "
            cpus[$row,$side]+="$cpu "
        done
        echo "  $row pair $i done" >&2
    done
done

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg), $pairs pairs"
echo "A: $a ${A_ENV:-}"
echo "B: $b ${B_ENV:-}"
echo
echo "| row | A wall ms | B wall ms | B vs A | A records/s | B records/s | A CPU ms | B CPU ms | B vs A CPU |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for row in "${rows[@]}"; do
    ma=$(tr ' ' '\n' <<<"${times[$row,a]}" | grep . | median)
    mb=$(tr ' ' '\n' <<<"${times[$row,b]}" | grep . | median)
    ca=$(tr ' ' '\n' <<<"${cpus[$row,a]}" | grep . | median)
    cb=$(tr ' ' '\n' <<<"${cpus[$row,b]}" | grep . | median)
    n=$([[ $row == sample ]] && echo 2 || echo "$records")
    awk -v r="$row" -v a="$ma" -v b="$mb" -v ca="$ca" -v cb="$cb" -v n="$n" \
        'BEGIN {printf "| %s | %d | %d | %+.1f%% | %.0f | %.0f | %d | %d | %+.1f%% |\n", r, a, b, (b - a) / a * 100, n / a * 1000, n / b * 1000, ca, cb, (cb - ca) / ca * 100}'
done
echo
for row in "${rows[@]}"; do
    echo "$row wall ms, A: ${times[$row,a]}/ B: ${times[$row,b]}"
done
