namespace BatchJob.Telemetry;

/// <summary>What reached the collector by the end of the run.</summary>
/// <param name="Spans">The recorded spans' delivery (all zero when traces are off).</param>
/// <param name="FlushedInTime">Whether shutdown finished within TELEMETRY_FLUSH_TIMEOUT_MS.</param>
/// <param name="MetricsDelivered">Whether the final metrics export succeeded (null when metrics are off).</param>
internal sealed record TelemetryDelivery(SignalDelivery Spans, bool FlushedInTime, bool? MetricsDelivered)
{
    /// <summary>The log records' delivery; null when OTEL_LOGS_EXPORTER is none.</summary>
    public SignalDelivery? Logs { get; init; }

    /// <summary>Spans dropped by the full queue; known only after a complete flush.</summary>
    public long SpansDropped => FlushedInTime ? Spans.Dropped : 0;

    /// <summary>Log records dropped by the full queue, as <see cref="SpansDropped"/>.</summary>
    public long LogsDropped => FlushedInTime && Logs is { } logs ? logs.Dropped : 0;

    public bool Complete => Spans.Lost == 0 && (Logs?.Lost ?? 0) == 0 && MetricsDelivered != false;
}
