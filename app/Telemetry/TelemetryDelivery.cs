namespace BatchJob.Telemetry;

/// <summary>What reached the collector by the end of the run.</summary>
/// <param name="Spans">The recorded spans' delivery (all zero when traces are off).</param>
/// <param name="FlushedInTime">Whether shutdown finished within TELEMETRY_FLUSH_TIMEOUT_MS.</param>
/// <param name="MetricsDelivered">Whether the final metrics export succeeded (null when metrics are off).</param>
internal sealed record TelemetryDelivery(SignalDelivery Spans, bool FlushedInTime, bool? MetricsDelivered)
{
    /// <summary>The log records' delivery; null when OTEL_LOGS_EXPORTER is none.</summary>
    public SignalDelivery? Logs { get; init; }

    /// <summary>
    /// Whether anything ever accepted a connection at the endpoint: true once an export succeeded
    /// or a probe connected; false when every probe was refused (nothing listens there, and the
    /// flush did not wait for it); null when the run could not tell (no probe was needed, or one
    /// could not resolve the name or got no answer in time). See <see cref="CollectorProbe"/>.
    /// </summary>
    public bool? CollectorReachable { get; init; }

    /// <summary>Spans dropped by the full queue: never handed to the exporter.</summary>
    public long SpansDropped => Spans.Dropped;

    /// <summary>Log records dropped by the full queue, as <see cref="SpansDropped"/>.</summary>
    public long LogsDropped => Logs?.Dropped ?? 0;

    public bool Complete => Spans.Lost == 0 && (Logs?.Lost ?? 0) == 0 && MetricsDelivered != false;
}
