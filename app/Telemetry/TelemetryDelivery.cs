namespace BatchJob.Telemetry;

/// <summary>What reached the collector by the end of the run.</summary>
/// <param name="SpansEnded">Recorded spans the run produced.</param>
/// <param name="SpansExported">Spans the collector accepted.</param>
/// <param name="SpansFailed">Spans in exports that failed (refused, unreachable, timed out).</param>
/// <param name="FlushedInTime">Whether shutdown finished within TELEMETRY_FLUSH_TIMEOUT_MS.</param>
/// <param name="MetricsDelivered">Whether the final metrics export succeeded (null when metrics are off).</param>
internal sealed record TelemetryDelivery(long SpansEnded, long SpansExported, long SpansFailed, bool FlushedInTime, bool? MetricsDelivered)
{
    public long SpansLost => SpansEnded - SpansExported;

    /// <summary>Spans that never reached the exporter because its queue was full; known only after a complete flush.</summary>
    public long SpansDropped => FlushedInTime ? Math.Max(0, SpansEnded - SpansExported - SpansFailed) : 0;

    /// <summary>The log records' delivery; null when OTEL_LOGS_EXPORTER is none.</summary>
    public LogDelivery? Logs { get; init; }

    /// <summary>Log records dropped by the full queue, as <see cref="SpansDropped"/>.</summary>
    public long LogsDropped => FlushedInTime && Logs is { } logs ? logs.Dropped : 0;

    public bool Complete => SpansLost == 0 && (Logs?.Lost ?? 0) == 0 && MetricsDelivered != false;
}
