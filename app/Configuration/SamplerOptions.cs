namespace BatchJob.Configuration;

/// <summary>
/// OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG, read into what the record sampler needs.
/// </summary>
/// <param name="Root">Decision for record spans without a remote parent's decision.</param>
/// <param name="Ratio">Fraction of records kept when <paramref name="Root"/> is <see cref="SamplerRoot.TraceIdRatio"/>.</param>
/// <param name="ParentBased">The parentbased_* samplers: a TRACEPARENT's sampled flag, when given, decides instead.</param>
internal sealed record SamplerOptions(SamplerRoot Root, double Ratio, bool ParentBased)
{
    /// <summary>The standard names OTEL_TRACES_SAMPLER accepts, and what each means here.</summary>
    public static IReadOnlyDictionary<string, (SamplerRoot Root, bool ParentBased)> Names { get; } =
        new Dictionary<string, (SamplerRoot, bool)>(StringComparer.Ordinal)
        {
            ["parentbased_always_on"] = (SamplerRoot.AlwaysOn, true),
            ["parentbased_always_off"] = (SamplerRoot.AlwaysOff, true),
            ["parentbased_traceidratio"] = (SamplerRoot.TraceIdRatio, true),
            ["always_on"] = (SamplerRoot.AlwaysOn, false),
            ["always_off"] = (SamplerRoot.AlwaysOff, false),
            ["traceidratio"] = (SamplerRoot.TraceIdRatio, false),
        };
}
