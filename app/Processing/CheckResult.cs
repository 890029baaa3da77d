using BatchJob.Input;

namespace BatchJob.Processing;

/// <summary>What <c>--check</c> found in the input: this shard's records, how many a run would reject, and the first of them by line.</summary>
internal sealed record CheckResult(long Records, long Failed, IReadOnlyList<(long Line, RejectKind Kind)> BadLines)
{
    /// <summary>As the run computes it (0 for no records): what MAX_FAILED_RATIO is compared with.</summary>
    public double FailedRatio => Records == 0 ? 0 : (double)Failed / Records;
}
