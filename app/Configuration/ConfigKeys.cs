namespace BatchJob.Configuration;

/// <summary>
/// Every configuration key the worker reads. The same names are environment variables,
/// <c>.env</c> lines, <c>appsettings.json</c> keys and <c>--KEY=value</c> options; tests keep
/// <c>.env.example</c>, the manifests and this list in step.
/// </summary>
internal static class ConfigKeys
{
    public const string AppEnv = "APP_ENV";
    public const string InputPath = "INPUT_PATH";
    public const string InputFallback = "INPUT_FALLBACK";
    public const string OutputPath = "OUTPUT_PATH";
    public const string RejectsPath = "REJECTS_PATH";
    public const string BatchSize = "BATCH_SIZE";
    public const string CpuBurnMs = "CPU_BURN_MS";
    public const string MaxLineBytes = "MAX_LINE_BYTES";
    public const string MaxFailedRatio = "MAX_FAILED_RATIO";
    public const string LogFormat = "LOG_FORMAT";
    public const string LogRecords = "LOG_RECORDS";
    public const string ProgressIntervalSeconds = "PROGRESS_INTERVAL_SECONDS";
    public const string ShardCount = "SHARD_COUNT";
    public const string Resume = "RESUME";
    public const string CheckpointIntervalSeconds = "CHECKPOINT_INTERVAL_SECONDS";

    public const string EnableCostTracking = "ENABLE_COST_TRACKING";
    public const string CostPerCpuHour = "COST_PER_CPU_HOUR";
    public const string CostPerMemoryGbHour = "COST_PER_MEMORY_GB_HOUR";
    public const string CostPerRecordTarget = "COST_PER_RECORD_TARGET";
    public const string CostBudget = "COST_BUDGET_USD";
    public const string CpuRequest = "CPU_REQUEST";
    public const string CpuLimit = "CPU_LIMIT";
    public const string MemoryRequest = "MEMORY_REQUEST";
    public const string MemoryLimit = "MEMORY_LIMIT";

    public const string EnableTelemetry = "ENABLE_TELEMETRY";
    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string OtlpProtocol = "OTEL_EXPORTER_OTLP_PROTOCOL";
    public const string OtlpTimeout = "OTEL_EXPORTER_OTLP_TIMEOUT";
    public const string OtlpRetry = "OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY";

    /// <summary>Read by the SDK from the process environment (docs/otlp.md), checked by us at start; not in .env.example: a Secret's.</summary>
    public const string OtlpHeaders = "OTEL_EXPORTER_OTLP_HEADERS";
    public const string ServiceName = "OTEL_SERVICE_NAME";
    public const string ResourceAttributes = "OTEL_RESOURCE_ATTRIBUTES";
    public const string TracesExporter = "OTEL_TRACES_EXPORTER";
    public const string MetricsExporter = "OTEL_METRICS_EXPORTER";
    public const string LogsExporter = "OTEL_LOGS_EXPORTER";
    public const string TracesSampler = "OTEL_TRACES_SAMPLER";
    public const string TracesSamplerArg = "OTEL_TRACES_SAMPLER_ARG";
    public const string BspMaxQueueSize = "OTEL_BSP_MAX_QUEUE_SIZE";
    public const string MetricExportInterval = "OTEL_METRIC_EXPORT_INTERVAL";
    public const string ExemplarFilter = "OTEL_METRICS_EXEMPLAR_FILTER";
    public const string FlushTimeout = "TELEMETRY_FLUSH_TIMEOUT_MS";

    /// <summary>W3C trace context handed down by whatever launched the run (not in .env.example: set per launch).</summary>
    public const string TraceParent = "TRACEPARENT";
    public const string TraceState = "TRACESTATE";

    /// <summary>W3C baggage handed down the same way (the OpenTelemetry spec's environment carrier); the manifests set an example.</summary>
    public const string Baggage = "BAGGAGE";

    /// <summary>This pod's index in an Indexed Job (not in .env.example: Kubernetes sets it per pod).</summary>
    public const string JobCompletionIndex = "JOB_COMPLETION_INDEX";

    /// <summary>The keys a user configures; each one is in <c>.env.example</c> and <c>appsettings.json</c>.</summary>
    public static IReadOnlyList<string> Configurable { get; } =
    [
        AppEnv, InputPath, InputFallback, OutputPath, RejectsPath, BatchSize, CpuBurnMs, MaxLineBytes, MaxFailedRatio, LogFormat, LogRecords,
        ProgressIntervalSeconds, ShardCount, Resume, CheckpointIntervalSeconds,
        EnableCostTracking, CostPerCpuHour, CostPerMemoryGbHour, CostPerRecordTarget, CostBudget,
        CpuRequest, CpuLimit, MemoryRequest, MemoryLimit,
        EnableTelemetry, OtlpEndpoint, OtlpProtocol, OtlpTimeout, OtlpRetry, ServiceName, ResourceAttributes,
        TracesExporter, MetricsExporter, LogsExporter, TracesSampler, TracesSamplerArg, BspMaxQueueSize, MetricExportInterval, ExemplarFilter, FlushTimeout,
    ];
}
