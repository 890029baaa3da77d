# Sourced by bench/run.sh and bench/compare.sh: starts bench/otlp_sink.py on 127.0.0.1:$port
# (stderr to $out/sink.log), stops it when the script exits, waits until it accepts, and sets
# worker_env: the worker's whole environment, nothing of the caller's OTEL_* or .env, exporting
# over OTLP/HTTP to the sink.
python3 "$here/otlp_sink.py" "$port" 2>"$out/sink.log" &
sink=$!
trap 'kill "$sink" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
done

worker_env=(env -i PATH="$PATH" HOME="${HOME:-/tmp}" DOTNET_CLI_TELEMETRY_OPTOUT=1
    OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$port")
