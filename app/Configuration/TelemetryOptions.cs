using System.Diagnostics;
using OpenTelemetry.Exporter;

namespace BatchJob.Configuration;

/// <summary>Where and how traces, metrics and logs go. <c>Enabled</c> false means no SDK is started at all.</summary>
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
    SamplerOptions Sampler,
    IReadOnlyList<KeyValuePair<string, object>> ResourceAttributes,
    ActivityContext RemoteParent);
