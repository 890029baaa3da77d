using System.Diagnostics;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace BatchJob.Configuration;

/// <summary>Where and how traces, metrics and logs go. <c>Enabled</c> false means no SDK is started at all.</summary>
/// <param name="ExemplarFilter">OTEL_METRICS_EXEMPLAR_FILTER: which measurements may become exemplars (trace_based: those made in a sampled span).</param>
/// <param name="Baggage">The W3C BAGGAGE the run was launched with: attributes of every span, fields of every log line.</param>
/// <param name="RemoteParent">The W3C context from TRACEPARENT/TRACESTATE; default when the run was not launched inside a trace.</param>
internal sealed record TelemetryOptions(
    bool Enabled,
    string ServiceName,
    Uri Endpoint,
    OtlpExportProtocol Protocol,
    bool ExportTraces,
    bool ExportMetrics,
    bool ExportLogs,
    int ExportTimeoutMs,
    bool RetryOnFailure,
    int FlushTimeoutMs,
    int MaxQueueSize,
    int MetricExportIntervalMs,
    ExemplarFilterType ExemplarFilter,
    SamplerOptions Sampler,
    IReadOnlyList<KeyValuePair<string, object>> ResourceAttributes,
    ActivityContext RemoteParent,
    W3CBaggage Baggage);
