namespace BatchJob.Telemetry;

/// <summary>What reached the collector of the run's log records (when OTEL_LOGS_EXPORTER=otlp).</summary>
/// <param name="Ended">Log records the run emitted before the flush.</param>
/// <param name="Exported">Log records the collector accepted.</param>
/// <param name="Failed">Log records in exports that failed (refused, unreachable, timed out).</param>
internal sealed record LogDelivery(long Ended, long Exported, long Failed)
{
    public long Lost => Ended - Exported;

    /// <summary>Records that never reached the exporter because its queue was full; meaningful only after a complete flush.</summary>
    public long Dropped => Math.Max(0, Ended - Exported - Failed);
}
