using BatchJob.Configuration;
using OpenTelemetry.Exporter;

namespace BatchJob.Telemetry;

/// <summary>
/// The run's OTLP exporters, one per signal whose exporter is otlp (null otherwise), created once;
/// each counts what the collector accepted. Spans and log records each go through an
/// <see cref="ExportGate"/>, whose <see cref="ExportGate.Delivery"/> is their exporter's count;
/// all of them share one <see cref="CollectorProbe"/> of the endpoint.
/// </summary>
internal sealed class OtlpExporters
{
    // A refused connect answers in microseconds and a collector in the same cluster within a few
    // milliseconds; a probe that takes longer says nothing (no fast exit), so it need not wait long.
    private const int ProbeTimeoutMs = 200;

    public OtlpExporters(TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Probe = new CollectorProbe(options.Endpoint, ProbeTimeoutMs);
        // A wait for a busy exporter lasts at most one export's timeout (an export takes no longer
        // without retries), and never longer than the flush bound the user gave telemetry.
        var waitTimeoutMs = Math.Min(options.ExportTimeoutMs, options.FlushTimeoutMs);
        if (options.ExportTraces)
        {
            SpanGate = new ExportGate(options.MaxQueueSize, waitTimeoutMs, Probe);
            Traces = new(ExporterOptions(options, "v1/traces"), SpanGate.Delivery);
        }

        if (options.ExportMetrics)
        {
            MetricDelivery = new DeliveryCounter(probe: Probe);
            Metrics = new(ExporterOptions(options, "v1/metrics"), MetricDelivery);
        }

        if (options.ExportLogs)
        {
            LogGate = new ExportGate(options.MaxQueueSize, waitTimeoutMs, Probe);
            Logs = new(ExporterOptions(options, "v1/logs"), LogGate.Delivery);
        }
    }

    public CountingOtlpTraceExporter? Traces { get; }

    /// <summary>The backpressure in front of the span export queue, and the spans' delivery count.</summary>
    public ExportGate? SpanGate { get; }

    public CountingOtlpMetricExporter? Metrics { get; }

    public DeliveryCounter? MetricDelivery { get; }

    public CountingOtlpLogExporter? Logs { get; }

    /// <summary>The backpressure in front of the log record export queue, a queue of its own beside the spans'.</summary>
    public ExportGate? LogGate { get; }

    /// <summary>Whether anything listens at the endpoint; asked after failed exports and at the flush.</summary>
    public CollectorProbe Probe { get; }

    /// <summary>Whether any export of any signal succeeded: the collector accepted a connection.</summary>
    public bool AnyExported => SpanGate?.Delivery.Exported > 0 || MetricDelivery?.Exported > 0 || LogGate?.Delivery.Exported > 0;

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
