namespace BatchJob.Output;

/// <summary>The end-of-batch numbers, all measured. Cost fields are null when cost tracking is off.</summary>
internal sealed record BatchSummary(
    long TotalRecords,
    long Successful,
    long Failed,
    long BlankLines,
    double AvgPrediction,
    double TotalLatencyMs,
    double AvgLatencyMs,
    double? TotalCostUsd,
    double? CostPerRecordUsd,
    double CpuUtilization,
    double MemoryUsedMiB,
    double BatchProcessingMs,
    bool Interrupted)
{
    /// <summary>Share of the non-blank lines that failed (0 for an empty batch): what MAX_FAILED_RATIO is compared with.</summary>
    public double FailedRatio => TotalRecords == 0 ? 0 : (double)Failed / TotalRecords;

    /// <summary>This worker's shard in an Indexed Job; null when the run is not sharded.</summary>
    public int? ShardIndex { get; init; }

    /// <summary>The number of shards (SHARD_COUNT); null when the run is not sharded.</summary>
    public int? ShardCount { get; init; }

    /// <summary>COST_BUDGET_USD when one is set; null otherwise.</summary>
    public double? BudgetUsd { get; init; }

    /// <summary>Whether the run stopped at the budget, before its input ended.</summary>
    public bool BudgetExceeded { get; init; }

    /// <summary>Input lines the run did not reach when it stopped at the budget, the one in hand included; null when not stopped, or the input is a pipe.</summary>
    public long? LinesUnread { get; init; }

    /// <summary>RESUME: the line this pod continued after (0 when it started from the first line); null without RESUME.</summary>
    public long? ResumedFromLine { get; init; }

    /// <summary>RESUME: the cost of all the run's records across its pods (total_cost_usd is this pod's); null without RESUME or cost tracking.</summary>
    public double? RunTotalCostUsd { get; init; }

    /// <summary>The summary's fields in the order the guide prints them, extras after (memory_used_mb, the guide's name, is in MiB).</summary>
    public IEnumerable<(string Name, object Value)> Fields()
    {
        yield return ("total_records", TotalRecords);
        yield return ("successful", Successful);
        yield return ("failed", Failed);
        yield return ("avg_prediction", AvgPrediction);
        yield return ("total_latency_ms", TotalLatencyMs);
        yield return ("avg_latency_ms", AvgLatencyMs);
        if (TotalCostUsd is { } total && CostPerRecordUsd is { } perRecord)
        {
            yield return ("total_cost_usd", total);
            yield return ("cost_per_record_usd", perRecord);
        }

        yield return ("cpu_utilization", CpuUtilization);
        yield return ("memory_used_mb", MemoryUsedMiB);
        yield return ("blank_lines", BlankLines);
        yield return ("batch_processing_ms", BatchProcessingMs);
        yield return ("interrupted", Interrupted);
        if (BudgetUsd is { } budget)
        {
            yield return ("budget_usd", budget);
            yield return ("budget_exceeded", BudgetExceeded);
            if (LinesUnread is { } unread)
            {
                yield return ("lines_unread", unread);
            }
        }

        if (ResumedFromLine is { } resumedFrom)
        {
            yield return ("resumed_from_line", resumedFrom);
        }

        if (RunTotalCostUsd is { } runTotal)
        {
            yield return ("run_total_cost_usd", runTotal);
        }

        if (ShardIndex is { } index && ShardCount is { } count)
        {
            yield return ("shard_index", index);
            yield return ("shard_count", count);
        }
    }
}
