using BatchJob.Output;

namespace BatchJob.Processing;

/// <summary>
/// Running totals of one batch; turned into the summary at the end. One instance per run. With
/// RESUME a run can span pods: the counts and the prediction sum are the run's (restored from the
/// checkpoint, so the results equal an uninterrupted run's), while latency and cost are this
/// pod's work, plus the run's cost so far (<see cref="CostUsd"/>).
/// </summary>
internal sealed class BatchStatistics
{
    // Scaled sums: a mean cannot overflow, whatever the records hold (two records of 1e308).
    private readonly ScaledSum _predictionSum = new();
    private readonly ScaledSum _latencySumMs = new();
    private readonly ScaledSum _costSumUsd = new();

    // What earlier pods of this run did (0 unless resumed).
    private long _successfulBefore;
    private double _costBeforeUsd;

    public long Successful { get; private set; }

    public long Failed { get; private set; }

    public long BlankLines { get; private set; }

    /// <summary>The cost of the run's records so far, earlier pods' included: what the budget and the forecast judge.</summary>
    public double CostUsd => _costBeforeUsd + _costSumUsd.Total;

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

    /// <summary>The run's totals as a checkpoint keeps them.</summary>
    public RunTotals Snapshot()
    {
        var (sum, exponent) = _predictionSum.State;
        return new RunTotals(Successful, Failed, BlankLines, sum, exponent, CostUsd);
    }

    /// <summary>Continues the run a checkpoint describes.</summary>
    public void Restore(RunTotals totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        Successful = _successfulBefore = totals.Successful;
        Failed = totals.Failed;
        BlankLines = totals.BlankLines;
        _predictionSum.Restore((totals.PredictionSum, totals.PredictionSumExponent));
        _costBeforeUsd = totals.CostUsd;
    }

    public BatchSummary ToSummary(bool costTracking, double cpuUtilization, double memoryUsedMiB, double elapsedMs, bool interrupted)
    {
        var successfulHere = Successful - _successfulBefore;
        double? totalCost = costTracking ? _costSumUsd.Total : null;
        return new BatchSummary(
            Total,
            Successful,
            Failed,
            BlankLines,
            AvgPrediction: _predictionSum.Mean(Successful),
            TotalLatencyMs: Math.Round(_latencySumMs.Total, 4),
            AvgLatencyMs: Math.Round(_latencySumMs.Mean(successfulHere), 4),
            totalCost,
            CostPerRecordUsd: costTracking ? _costSumUsd.Mean(successfulHere) : null,
            cpuUtilization,
            memoryUsedMiB,
            Math.Round(elapsedMs, 3),
            interrupted);
    }
}
