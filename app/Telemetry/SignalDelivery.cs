namespace BatchJob.Telemetry;

/// <summary>What reached the collector of one signal's items (spans, or log records).</summary>
/// <param name="Ended">Items the run emitted before the flush.</param>
/// <param name="Exported">Items the collector accepted.</param>
/// <param name="Failed">Items in exports that failed (refused, unreachable, timed out).</param>
internal sealed record SignalDelivery(long Ended, long Exported, long Failed)
{
    /// <summary>Nothing emitted: the signal's exporter is off.</summary>
    public static readonly SignalDelivery None = new(0, 0, 0);

    public long Lost => Ended - Exported;

    /// <summary>Items that never reached the exporter because its queue was full (part of <see cref="Lost"/>).</summary>
    public long Dropped { get; init; }
}
