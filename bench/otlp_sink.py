#!/usr/bin/env python3
"""A stand-in OpenTelemetry Collector for the benchmark: accepts OTLP/HTTP protobuf exports
(POST /v1/traces, /v1/metrics, /v1/logs), reads them fully and answers 200 with an empty Export*Response.

Why not a real collector: none is installed on the benchmark machine, and a refused endpoint
would measure a worker that gives up on export instead of one that delivers. With this sink the
worker serializes and sends every span over a real socket, as in the lab; only the collector's
own processing is missing. Prints the requests and bytes it received when stopped (SIGTERM)."""
import http.server
import signal
import sys
import threading

stats = {"requests": 0, "bytes": 0}
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the OTLP exporter's HttpClient expects

    def do_POST(self) -> None:  # noqa: N802 (http.server naming)
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        with lock:
            stats["requests"] += 1
            stats["bytes"] += len(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:  # quiet: the benchmark prints its own table
        pass


def main() -> None:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 4318
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)

    def stop(*_: object) -> None:
        threading.Thread(target=server.shutdown).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.serve_forever()
    print(f"otlp-sink: {stats['requests']} requests, {stats['bytes']} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
