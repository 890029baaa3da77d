namespace BatchJob.Configuration;

/// <summary>What decides a <c>process_record</c> span when no remote parent decides it (OTEL_TRACES_SAMPLER).</summary>
internal enum SamplerRoot
{
    AlwaysOn,
    AlwaysOff,
    TraceIdRatio,
}
