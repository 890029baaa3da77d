namespace BatchJob.Output;

/// <summary>
/// A run's totals at a checkpoint. The prediction sum is kept as its exact state (a scaled sum:
/// <paramref name="PredictionSum"/> times 2^<paramref name="PredictionSumExponent"/>), so the
/// resumed run's average, and the predictions file's summary line, are the uninterrupted run's to the bit.
/// </summary>
/// <param name="CostUsd">The cost of the records so far, across every pod of the run.</param>
internal sealed record RunTotals(long Successful, long Failed, long BlankLines, double PredictionSum, int PredictionSumExponent, double CostUsd);
