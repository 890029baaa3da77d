using BatchJob.Output;

namespace BatchJob.Processing;

/// <summary>Running totals of one batch; turned into the summary at the end. One instance per run.</summary>
internal sealed class BatchStatistics
{
    // Scaled sums: a mean cannot overflow, whatever the records hold (two records of 1e308).
    private readonly ScaledSum _predictionSum = new();
    private readonly ScaledSum _latencySumMs = new();
    private readonly ScaledSum _costSumUsd = new();

    public long Successful { get; private set; }

    public long Failed { get; private set; }

    public long BlankLines { get; private set; }

    /// <summary>The cost of the records so far.</summary>
    public double CostUsd => _costSumUsd.Total;

    /// <summary>Every non-blank line ends as exactly one success or one failure.</summary>
    public long Total => Successful + Failed;

    public void AddSuccess(double prediction, double latencyMs, double costUsd)
    {
        Successful++;
        _predictionSum.Add(prediction);
        _latencySumMs.Add(latencyMs);
        _costSumUsd.Add(costUsd);
    }

    public void AddFailure() => Failed++;

    public void AddBlank() => BlankLines++;

    public BatchSummary ToSummary(bool costTracking, double cpuUtilization, double memoryUsedMiB, double elapsedMs, bool interrupted)
    {
        double? totalCost = costTracking ? _costSumUsd.Total : null;
        return new BatchSummary(
            Total,
            Successful,
            Failed,
            BlankLines,
            AvgPrediction: _predictionSum.Mean(Successful),
            TotalLatencyMs: Math.Round(_latencySumMs.Total, 4),
            AvgLatencyMs: Math.Round(_latencySumMs.Mean(Successful), 4),
            totalCost,
            CostPerRecordUsd: costTracking ? _costSumUsd.Mean(Successful) : null,
            cpuUtilization,
            memoryUsedMiB,
            Math.Round(elapsedMs, 3),
            interrupted);
    }
}
