using BatchJob.Configuration;
using OpenTelemetry.Exporter;

namespace BatchJob.Telemetry;

/// <summary>
/// The run's OTLP exporters, one per signal whose exporter is otlp (null otherwise), each counting
/// what the collector accepted, and the counters of what the run produced.
/// </summary>
internal sealed class OtlpExporters
{
    public OtlpExporters(TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // A wait for a busy exporter lasts at most one export's timeout (an export takes no longer
        // without retries), and never longer than the flush bound the user gave telemetry.
        var waitTimeoutMs = Math.Min(options.ExportTimeoutMs, options.FlushTimeoutMs);
        SpanGate = new ExportGate(options.MaxQueueSize, waitTimeoutMs);
        LogGate = new ExportGate(options.MaxQueueSize, waitTimeoutMs);
        Traces = options.ExportTraces ? new(ExporterOptions(options, "v1/traces"), SpanGate) : null;
        Metrics = options.ExportMetrics ? new(ExporterOptions(options, "v1/metrics")) : null;
        Logs = options.ExportLogs ? new(ExporterOptions(options, "v1/logs"), LogGate) : null;
    }

    public CountingOtlpTraceExporter? Traces { get; }

    /// <summary>The backpressure in front of the span export queue.</summary>
    public ExportGate SpanGate { get; }

    /// <summary>The backpressure in front of the log record export queue, a queue of its own beside the spans'.</summary>
    public ExportGate LogGate { get; }

    public CountingOtlpMetricExporter? Metrics { get; }

    public CountingOtlpLogExporter? Logs { get; }

    public EndedSpanCounter EndedSpans { get; } = new();

    public EndedLogCounter EndedLogs { get; } = new();

    private static OtlpExporterOptions ExporterOptions(TelemetryOptions options, string httpPath)
    {
        var endpoint = options.Endpoint;
        if (options.Protocol == OtlpExportProtocol.HttpProtobuf)
        {
            // As with the OTLP environment variables, the base endpoint gets the signal's path for HTTP.
            endpoint = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + httpPath);
        }

        // Reads OTEL_EXPORTER_OTLP_HEADERS and friends from the environment; the rest is ours.
        return new OtlpExporterOptions
        {
            Endpoint = endpoint,
            Protocol = options.Protocol,
            TimeoutMilliseconds = options.ExportTimeoutMs,
        };
    }
}
