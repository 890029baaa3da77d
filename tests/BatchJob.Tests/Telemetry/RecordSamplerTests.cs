using System.Diagnostics;
using BatchJob.Configuration;
using BatchJob.Telemetry;
using OpenTelemetry.Trace;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Telemetry;

/// <summary>OTEL_TRACES_SAMPLER as the worker applies it: batch and phase spans always, record spans sampled.</summary>
[Collection(WorkerSourceListeners.Name)]
public sealed class RecordSamplerTests
{
    private static readonly string[] PhaseSpans =
        [BatchTelemetry.BatchSpan, BatchTelemetry.BatchStartSpan, BatchTelemetry.ReadInputSpan, BatchTelemetry.BatchCompleteSpan];

    private static readonly ActivityContext SampledParent = new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
    private static readonly ActivityContext UnsampledParent = new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);

    [Theory]
    [InlineData("always_on")]
    [InlineData("always_off")]
    [InlineData("traceidratio")]
    [InlineData("parentbased_always_on")]
    [InlineData("parentbased_always_off")]
    [InlineData("parentbased_traceidratio")]
    public void Batch_and_phase_spans_are_always_kept(string name)
    {
        foreach (var parent in new[] { default, SampledParent, UnsampledParent })
        {
            var sampler = Create(name, ratio: 0, parent);
            foreach (var span in PhaseSpans)
            {
                Decide(sampler, span).Should().Be(SamplingDecision.RecordAndSample, $"{name}, {span}, parent {parent.TraceFlags}");
            }
        }
    }

    [Theory]
    [InlineData("always_on", 1000)]
    [InlineData("parentbased_always_on", 1000)]
    [InlineData("always_off", 0)]
    [InlineData("parentbased_always_off", 0)]
    [InlineData("traceidratio", 100)]
    [InlineData("parentbased_traceidratio", 100)]
    public void Record_spans_follow_the_root_sampler_without_a_remote_parent(string name, int kept)
    {
        var sampler = Create(name, ratio: 0.1, default);
        Keeps(sampler, 1000).Should().Be(kept);
    }

    [Fact]
    public void Ratio_keeps_evenly_spaced_records_exactly()
    {
        var sampler = Create("traceidratio", ratio: 0.01, default);
        var kept = Enumerable.Range(1, 1000).Where(_ => Decide(sampler, BatchTelemetry.RecordSpan) == SamplingDecision.RecordAndSample).ToList();
        kept.Should().Equal(100, 200, 300, 400, 500, 600, 700, 800, 900, 1000);
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(1.0, 1000)]
    [InlineData(0.25, 250)]
    [InlineData(0.001, 1)]
    public void Ratio_bounds_keep_none_or_all(double ratio, int kept) =>
        Keeps(Create("traceidratio", ratio, default), 1000).Should().Be(kept);

    [Theory]
    [InlineData("parentbased_always_on")]
    [InlineData("parentbased_always_off")]
    [InlineData("parentbased_traceidratio")]
    public void Parent_based_samplers_follow_a_remote_parent_decision(string name)
    {
        Keeps(Create(name, ratio: 0.1, SampledParent), 100).Should().Be(100);
        Keeps(Create(name, ratio: 0.1, UnsampledParent), 100).Should().Be(0);
    }

    [Theory]
    [InlineData("always_on", 100)]
    [InlineData("always_off", 0)]
    [InlineData("traceidratio", 10)]
    public void Samplers_that_are_not_parent_based_ignore_the_remote_parent(string name, int kept) =>
        Keeps(Create(name, ratio: 0.1, UnsampledParent), 100).Should().Be(kept);

    [Theory]
    [InlineData("always_on", 0.1)]
    [InlineData("always_off", 0.1)]
    [InlineData("traceidratio", 0.1)]
    [InlineData("traceidratio", 0.003)]
    [InlineData("traceidratio", 1.0)]
    public void Skipping_unsampled_records_first_keeps_exactly_the_records_the_sampler_alone_keeps(string name, double ratio)
    {
        var alone = Create(name, ratio, default);
        var expected = Enumerable.Range(1, 2000).Where(_ => Decide(alone, BatchTelemetry.RecordSpan) == SamplingDecision.RecordAndSample).ToList();

        var gated = Create(name, ratio, default);
        var actual = Enumerable.Range(1, 2000).Where(_ => !gated.SkipIfUnsampled() && Decide(gated, BatchTelemetry.RecordSpan) == SamplingDecision.RecordAndSample).ToList();

        actual.Should().Equal(expected);
    }

    [Fact]
    public void A_dropped_record_span_is_never_created_under_the_batch_span()
    {
        using var source = new ActivitySource(BatchTelemetry.Name + ".SamplerTest");
        using var provider = OpenTelemetry.Sdk.CreateTracerProviderBuilder()
            .AddSource(source.Name)
            .SetSampler(Create("always_off", 0, default))
            .Build();
        using var batch = source.StartActivity(BatchTelemetry.BatchSpan);
        batch.Should().NotBeNull();
        batch!.Recorded.Should().BeTrue();
        using var record = source.StartActivity(BatchTelemetry.RecordSpan);
        record.Should().BeNull("a dropped child of a local parent costs no Activity at all");
    }

    private static RecordSampler Create(string name, double ratio, ActivityContext parent)
    {
        var (root, parentBased) = SamplerOptions.Names[name];
        return new RecordSampler(new SamplerOptions(root, ratio, parentBased), parent);
    }

    private static SamplingDecision Decide(Sampler sampler, string spanName) =>
        sampler.ShouldSample(new SamplingParameters(default, ActivityTraceId.CreateRandom(), spanName, ActivityKind.Internal)).Decision;

    private static int Keeps(Sampler sampler, int records) =>
        Enumerable.Range(0, records).Count(_ => Decide(sampler, BatchTelemetry.RecordSpan) == SamplingDecision.RecordAndSample);
}
