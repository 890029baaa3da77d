namespace BatchJob.Output;

/// <summary>
/// Where a RESUME run stands: the input consumed so far (its end as a byte offset and a line
/// number, and the SHA-256 of every byte before it), the shard's record ordinal, the lengths of the
/// partial predictions and rejects files that hold exactly those lines' results, and the totals.
/// </summary>
/// <param name="Ordinal">The last record line's ordinal (blank lines not counted, -1 before the first): which later lines are this shard's.</param>
/// <param name="RejectsBytes">-1 when the run writes no rejects file.</param>
internal sealed record Checkpoint(
    string Input,
    int ShardIndex,
    int ShardCount,
    int MaxLineBytes,
    long Offset,
    long Line,
    long Ordinal,
    string PrefixSha256,
    long PredictionsBytes,
    long RejectsBytes,
    RunTotals Totals);
