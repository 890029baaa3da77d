using System.Diagnostics;
using BatchJob.Output;

namespace BatchJob.Processing;

/// <summary>
/// Decides when to print "Batch progress": every <c>everyRecords</c> records or every
/// <c>interval</c>, whichever comes first, and computes rate and ETA. The per-record check is two
/// comparisons against precomputed thresholds; the caller passes a timestamp it already has.
/// </summary>
internal sealed class ProgressTracker
{
    private readonly long _everyRecords;
    private readonly long _intervalTicks;
    private readonly long _startTicks;
    private readonly long _startRecords;
    private readonly long _startBytes;
    private long _nextRecords;
    private long _nextTicks;

    /// <param name="startTimestamp">When the batch started (<see cref="Stopwatch.GetTimestamp"/>).</param>
    /// <param name="startRecords">Records done before this process (RESUME): the rate and ETA count only this process's work.</param>
    /// <param name="startBytes">Input bytes consumed before this process (RESUME).</param>
    public ProgressTracker(long everyRecords, TimeSpan interval, long startTimestamp, long startRecords = 0, long startBytes = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(everyRecords, 1);
        _everyRecords = everyRecords;
        _intervalTicks = Math.Max(1, (long)(interval.TotalSeconds * Stopwatch.Frequency));
        _startTicks = startTimestamp;
        _startRecords = startRecords;
        _startBytes = startBytes;
        _nextRecords = startRecords + everyRecords;
        _nextTicks = startTimestamp + _intervalTicks;
    }

    /// <summary>True when a progress line is due after <paramref name="records"/> records at <paramref name="now"/>.</summary>
    public bool IsDue(long records, long now) => records >= _nextRecords || now >= _nextTicks;

    /// <summary>Takes the numbers for a progress line and schedules the next one.</summary>
    /// <param name="bytesRead">Input bytes consumed so far; with <paramref name="totalBytes"/> > 0 it gives the ETA.</param>
    /// <param name="costUsd">The cost so far, for the forecast; null when cost tracking is off.</param>
    public Progress Report(long records, long now, long bytesRead, long totalBytes, double? costUsd = null)
    {
        _nextRecords = records + _everyRecords;
        _nextTicks = now + _intervalTicks;
        var elapsed = (double)(now - _startTicks) / Stopwatch.Frequency;
        var rate = elapsed > 0 ? (records - _startRecords) / elapsed : 0;
        double? eta = null;
        var bytesHere = bytesRead - _startBytes;
        if (totalBytes > 0 && bytesHere > 0 && elapsed > 0)
        {
            // Bytes, not records, are what we know the total of; lines are near enough equal in size.
            var remaining = Math.Max(0, totalBytes - bytesRead);
            eta = Math.Round(elapsed * remaining / bytesHere, 1);
        }

        var forecast = costUsd is { } spent ? BudgetGuard.Forecast(spent, bytesRead, totalBytes) : null;
        return new Progress(records, Math.Round(rate, 1), Math.Round(elapsed, 3), eta, forecast);
    }
}
