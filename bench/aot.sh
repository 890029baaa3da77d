#!/usr/bin/env bash
# JIT against native AOT, as a pod feels them:   sudo bench/aot.sh
#
# Publishes the worker twice for this machine's runtime:
#   jit   dotnet publish -c Release -r RID --self-contained false (framework-dependent, ReadyToRun:
#         what `bench/run.sh` measures)
#   aot   the Dockerfile's flags: -p:PublishAot=true -p:DebugType=none
#         -p:TreatWarningsAsErrors=false -p:IlcTreatWarningsAsErrors=true
# then measures, always alternating jit and aot so that load from other processes on a shared
# machine hits both alike, and reports the median and the range (min-max) of each:
#   sizes    the native binary (and gzipped, about what a registry layer costs), the JIT publish
#            folder, and any .dbg/.pdb in the AOT output (the Dockerfile copies named files only)
#   sample   the bundled two-record input with the lab defaults, telemetry exported to the local
#            OTLP sink (bench/otlp_sink.py): start to exit in ms (date +%s%N around the process,
#            from inside its cgroup) without a quota and under CFS quotas of 250m/500m/1000m
#            (cgroup v1 `cpu` or v2 `cpu.max`, period 100 ms, as Kubernetes enforces limits.cpu;
#            needs root), and the peak RSS (ru_maxrss of the worker, via /usr/bin/time %M)
#   1M rows  rounds of: the guide's Python, jq, lab-default and throughput for jit and aot, stdout
#            to /dev/null as in bench/run.sh; records/s from the median wall time, ratios to the
#            medians of Python and jq. Then spans dropped at 1M with the lab defaults, from the
#            worker's own summary, in untimed runs that keep its stdout.
#
# Environment: SAMPLES (default 9 per build and quota), ROUNDS (default 5) of the 1M rows, DROPS
# (default 3) runs per build counting spans dropped, RECORDS (default 1000000), LIMITS (default
# "250 500 1000"), SINK_PORT (default 4318), SKIP_BIG=1 for sizes and the sample only, PUBLISH=0
# to reuse bench/out/jit and bench/out/aot.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
out=$here/out
samples=${SAMPLES:-9}
rounds=${ROUNDS:-5}
drops=${DROPS:-3}
records=${RECORDS:-1000000}
limits=${LIMITS:-250 500 1000}
port=${SINK_PORT:-4318}
mkdir -p "$out"

case $(uname -m) in
    x86_64) rid=linux-x64 ;;
    aarch64 | arm64) rid=linux-arm64 ;;
    *) rid=$(dotnet --info | awk '/RID:/ {print $2; exit}') ;;
esac
if [[ ${PUBLISH:-1} != 0 ]]; then
    echo "publishing jit (Release, $rid, ReadyToRun) and aot (the Dockerfile's flags) ..." >&2
    rm -rf "$out/jit" "$out/aot"
    dotnet publish "$repo/app/BatchJob.csproj" -c Release -r "$rid" --self-contained false \
        -o "$out/jit" --nologo -v quiet >&2
    dotnet publish "$repo/app/BatchJob.csproj" -c Release -r "$rid" -o "$out/aot" --nologo -v quiet \
        -p:PublishAot=true -p:DebugType=none -p:TreatWarningsAsErrors=false -p:IlcTreatWarningsAsErrors=true >&2
fi
declare -A exe=([jit]=$out/jit/BatchJob [aot]=$out/aot/BatchJob)

# shellcheck source=bench/sink.sh
source "$here/sink.sh"

# shellcheck source=bench/cgroup.sh
source "$here/cgroup.sh"
if [[ -z $cgroot ]]; then
    echo "no writable cgroup cpu controller (run as root): sample without a quota only" >&2
    limits=""
fi

# stats: reads numbers, prints "median min max".
stats() { sort -n | awk '{v[NR] = $1} END {m = (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2); print m, v[1], v[NR]}'; }

# sample_once BUILD LIMIT: one start-to-exit of the two-record sample in a fresh cgroup with that
# CFS quota (or none); prints "wall_ms rss_kb". A shell joins the cgroup first, then times the
# worker (under /usr/bin/time) from inside it: moving a task between cgroups takes milliseconds
# itself, which a pod's process never pays. Children inherit the cgroup, so the worker and all its
# threads share the quota, as in a pod.
sample_once() {
    local build=$1 limit=$2 cg=""
    if [[ $limit != none ]]; then
        cg=$(cgroup_with_quota "batchjob-aot-$limit-$$" "$limit")
    fi
    # shellcheck disable=SC2016 # expanded by the inner shell
    (cd "$out" && sh -c '
        [ -n "$1" ] && echo $$ > "$1/cgroup.procs"
        out=$2; shift 2
        start=$(date +%s%N)
        /usr/bin/time -f %M -o "$out/aot-rss.txt" "$@" >/dev/null
        end=$(date +%s%N)
        echo $(((end - start) / 1000000)) > "$out/aot-wall.txt"' \
        sh "$cg" "$out" "${worker_env[@]}" "${exe[$build]}")
    [[ -n $cg ]] && rmdir "$cg"
    echo "$(cat "$out/aot-wall.txt") $(tail -n 1 "$out/aot-rss.txt")"
}

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg) at start, .NET $(dotnet --version), $(python3 --version), $(jq --version 2>/dev/null), cgroup v$cgversion"
echo

# --- sizes -------------------------------------------------------------------------------------
native=$(stat -c %s "${exe[aot]}")
native_gz=$(gzip -9 -c "${exe[aot]}" | wc -c)
jit_dir=$(du -sb "$out/jit" | cut -f1)
jit_gz=$(tar -C "$out/jit" -cf - . | gzip -9 | wc -c)
symbols=$(find "$out/aot" \( -name '*.dbg' -o -name '*.pdb' \) | wc -l)
debug_sections=$(readelf -S "${exe[aot]}" 2>/dev/null | grep -c '\.debug_' || true)
echo "| artifact | bytes | MB | gzip -9 MB |"
echo "| --- | ---: | ---: | ---: |"
awk -v b="$native" -v g="$native_gz" 'BEGIN {printf "| native AOT executable (BatchJob) | %d | %.1f | %.1f |\n", b, b / 1e6, g / 1e6}'
awk -v b="$jit_dir" -v g="$jit_gz" 'BEGIN {printf "| JIT publish folder (needs the .NET runtime) | %d | %.1f | %.1f |\n", b, b / 1e6, g / 1e6}'
echo
echo "AOT output: $symbols .dbg/.pdb files, $debug_sections .debug_* sections in the executable"
echo

# --- the two-record sample ---------------------------------------------------------------------
echo "| sample, start to exit | jit ms median (range) | aot ms median (range) | jit peak RSS MB median (range) | aot peak RSS MB median (range) |"
echo "| --- | ---: | ---: | ---: | ---: |"
for limit in none $limits; do
    declare -A wall=() rss=()
    for _ in $(seq "$samples"); do
        for build in jit aot; do
            read -r w r < <(sample_once "$build" "$limit")
            wall[$build]+="$w "
            rss[$build]+="$r "
        done
    done
    label=$([[ $limit == none ]] && echo "no quota" || echo "${limit}m quota")
    row="| $label |"
    for build in jit aot; do
        read -r m lo hi < <(tr ' ' '\n' <<<"${wall[$build]}" | grep . | stats)
        row+=" $m ($lo-$hi) |"
    done
    for build in jit aot; do
        read -r m lo hi < <(tr ' ' '\n' <<<"${rss[$build]}" | grep . | stats)
        row+=$(awk -v m="$m" -v lo="$lo" -v hi="$hi" 'BEGIN {printf " %.1f (%.1f-%.1f) |", m / 1024, lo / 1024, hi / 1024}')
    done
    echo "$row"
    echo "  $label: jit ${wall[jit]}/ aot ${wall[aot]}" >&2
done
echo
[[ ${SKIP_BIG:-} == 1 ]] && exit 0

# --- 1M records ----------------------------------------------------------------------------------
input=$out/input-$records.jsonl
if [[ ! -s $input ]] || [[ $(wc -l <"$input") -ne $records ]]; then
    echo "generating $records records ..." >&2
    python3 "$here/gen_input.py" "$records" "$input"
fi
if ! command -v jq >/dev/null; then
    echo "installing jq ..." >&2
    apt-get update -qq && apt-get install -y -qq jq >/dev/null
fi

# timed COMMAND...: prints the wall ms (stdout to /dev/null).
timed() {
    local start end
    start=$(date +%s%N)
    (cd "$out" && "$@" >/dev/null)
    end=$(date +%s%N)
    echo $(((end - start) / 1000000))
}

throughput=(LOG_RECORDS=false OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.001 OUTPUT_PATH=predictions-aot.jsonl)
declare -A big=()
# Rounds: Python, jq, then each worker row for both builds, so that the ratios compare runs that
# saw the same load.
for i in $(seq "$rounds"); do
    big[python]+="$(timed python3 "$here/guide_python.py" "$input") "
    big[jq]+="$(timed jq -c '{id, prediction: (.features | add)}' "$input") "
    for build in jit aot; do
        big[lab-$build]+="$(timed "${worker_env[@]}" INPUT_PATH="$input" "${exe[$build]}") "
        big[tp-$build]+="$(timed "${worker_env[@]}" "${throughput[@]}" INPUT_PATH="$input" "${exe[$build]}") "
    done
    echo "  round $i done" >&2
done
# Spans dropped by the export queue: the worker's summary (spans_dropped in the
# "Telemetry not fully delivered" WARN, absent when none was dropped), untimed runs, alternating.
declare -A dropped=()
for _ in $(seq "$drops"); do
    for build in jit aot; do
        n=$(cd "$out" && "${worker_env[@]}" INPUT_PATH="$input" "${exe[$build]}" | tail -n 3 \
            | { grep -o '"spans_dropped":[0-9]*' || true; } | head -n 1 | cut -d: -f2)
        dropped[$build]+="${n:-0} "
    done
done

read -r py_m py_lo py_hi < <(tr ' ' '\n' <<<"${big[python]}" | grep . | stats)
read -r jq_m jq_lo jq_hi < <(tr ' ' '\n' <<<"${big[jq]}" | grep . | stats)
echo "| $records records | wall ms median (range) | records/s (median) | vs Python | vs jq |"
echo "| --- | ---: | ---: | ---: | ---: |"
for key in python jq lab-jit lab-aot tp-jit tp-aot; do
    read -r m lo hi < <(tr ' ' '\n' <<<"${big[$key]}" | grep . | stats)
    awk -v k="$key" -v m="$m" -v lo="$lo" -v hi="$hi" -v n="$records" -v p="$py_m" -v j="$jq_m" 'BEGIN {
        name["python"] = "python-guide"; name["jq"] = "jq"; name["lab-jit"] = "lab-default, jit"; name["lab-aot"] = "lab-default, aot"
        name["tp-jit"] = "throughput, jit"; name["tp-aot"] = "throughput, aot"
        vp = (k == "python") ? "" : sprintf("%.1fx", p / m); vj = (k == "python" || k == "jq") ? "" : sprintf("%.1fx", j / m)
        printf "| %s | %d (%d-%d) | %.0f | %s | %s |\n", name[k], m, lo, hi, n / m * 1000, vp, vj }'
done
echo
echo "runs, wall ms: python ${big[python]}/ jq ${big[jq]}/ lab jit ${big[lab-jit]}/ lab aot ${big[lab-aot]}/ throughput jit ${big[tp-jit]}/ throughput aot ${big[tp-aot]}"
echo "lab-default spans dropped at $records (of $((records + 3))): jit ${dropped[jit]}/ aot ${dropped[aot]}"
echo "throughput predictions file ends with: $(tail -n 1 "$out/predictions-aot.jsonl")"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
kill "$sink" 2>/dev/null || true
wait "$sink" 2>/dev/null || true
echo "OTLP sink received: $(cat "$out/sink.log")"
