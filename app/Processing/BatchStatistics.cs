using BatchJob.Output;

namespace BatchJob.Processing;

/// <summary>Running totals of one batch; turned into the summary at the end. One instance per run.</summary>
internal sealed class BatchStatistics
{
    private double _predictionSum;
    private double _latencySumMs;
    private double _costSumUsd;

    public long Successful { get; private set; }

    public long Failed { get; private set; }

    public long BlankLines { get; private set; }

    /// <summary>The cost of the records so far.</summary>
    public double CostUsd => _costSumUsd;

    /// <summary>Every non-blank line ends as exactly one success or one failure.</summary>
    public long Total => Successful + Failed;

    public void AddSuccess(double prediction, double latencyMs, double costUsd)
    {
        Successful++;
        _predictionSum += prediction;
        _latencySumMs += latencyMs;
        _costSumUsd += costUsd;
    }

    public void AddFailure() => Failed++;

    public void AddBlank() => BlankLines++;

    public BatchSummary ToSummary(bool costTracking, double cpuUtilization, double memoryUsedMiB, double elapsedMs, bool interrupted)
    {
        double? totalCost = costTracking ? _costSumUsd : null;
        return new BatchSummary(
            Total,
            Successful,
            Failed,
            BlankLines,
            AvgPrediction: Average(_predictionSum),
            TotalLatencyMs: Math.Round(_latencySumMs, 4),
            AvgLatencyMs: Math.Round(Average(_latencySumMs), 4),
            totalCost,
            CostPerRecordUsd: costTracking ? Average(_costSumUsd) : null,
            cpuUtilization,
            memoryUsedMiB,
            Math.Round(elapsedMs, 3),
            interrupted);
    }

    private double Average(double sum) => Successful == 0 ? 0 : sum / Successful;
}
