using System.Diagnostics;

namespace BatchJob.Processing;

/// <summary>
/// RESUME's pace: a checkpoint at the first BATCH_SIZE boundary once CHECKPOINT_INTERVAL_SECONDS
/// have passed since the last one (or the start). A checkpoint makes the results so far durable
/// (up to four fsyncs); at every 1000 records that doubled the throughput row's wall time, while a
/// replaced pod loses at most one interval and a batch of work. 0 checkpoints at every boundary.
/// The caller passes a timestamp it already has (<see cref="Stopwatch.GetTimestamp"/>).
/// </summary>
internal sealed class CheckpointSchedule
{
    private readonly long _intervalTicks;
    private long _next;

    public CheckpointSchedule(TimeSpan interval, long startTimestamp)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        _intervalTicks = (long)(interval.TotalSeconds * Stopwatch.Frequency);
        _next = startTimestamp + _intervalTicks;
    }

    /// <summary>True when a checkpoint is due at <paramref name="now"/>; the next one is then an interval later.</summary>
    public bool IsDue(long now)
    {
        if (now < _next)
        {
            return false;
        }

        _next = now + _intervalTicks;
        return true;
    }
}
