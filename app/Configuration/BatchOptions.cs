namespace BatchJob.Configuration;

/// <summary>Everything the run needs, validated once at start (see <see cref="OptionsReader"/>).</summary>
internal sealed record BatchOptions(
    string AppEnvironment,
    string InputPath,
    string? OutputPath,
    string? RejectsPath,
    int BatchSize,
    double CpuBurnMs,
    int MaxLineBytes,
    double MaxFailedRatio,
    LogFormat LogFormat,
    bool LogRecords,
    double ProgressIntervalSeconds,
    ShardOptions Shard,
    bool Resume,
    double CheckpointIntervalSeconds,
    CostOptions Cost,
    TelemetryOptions Telemetry);
