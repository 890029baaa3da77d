using BatchJob.Tests.Support;

namespace BatchJob.Tests.Otlp;

/// <summary>
/// Exemplars on <c>record_latency_ms</c>, as the receiver gets them: each points at an exported
/// <c>process_record</c> span (trace id + span id) and carries that span's latency, so a backend can
/// jump from a latency bucket to the record that landed in it. OTEL_METRICS_EXEMPLAR_FILTER decides.
/// </summary>
[Collection(WorkerSourceListeners.Name)]
public sealed class OtlpExemplarTests
{
    [Theory]
    [MemberData(nameof(OtlpRun.Protocols), MemberType = typeof(OtlpRun))]
    public async Task By_default_the_latency_histogram_carries_exemplars_that_are_exported_record_spans_with_their_latency(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var input = OtlpRun.TempInput(Enumerable.Range(1, 5).Select(i => OtlpRun.Record(i)));

        var run = await OtlpRun.RunAsync(receiver, protocol, ("INPUT_PATH", input));

        run.ExitCode.Should().Be(0, run.ToString());
        run.WithMessage("Telemetry not fully delivered").Should().BeEmpty(run.ToString());
        var records = receiver.Spans.Where(s => s.Name == "process_record").ToDictionary(s => (s.TraceId, s.SpanId));
        records.Should().HaveCount(5);
        var exemplars = Exemplars(receiver);
        exemplars.Should().NotBeEmpty("trace_based keeps measurements made in a sampled span");
        foreach (var exemplar in exemplars)
        {
            records.Should().ContainKey((exemplar.TraceId, exemplar.SpanId), $"exemplar {exemplar} points at an exported process_record span");
            records[(exemplar.TraceId, exemplar.SpanId)].Attributes["latency_ms"].Should().Be(exemplar.Value, "the exemplar is the latency measured in that span");
        }
    }

    [Fact]
    public async Task Always_off_sends_no_exemplars()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var input = OtlpRun.TempInput(Enumerable.Range(1, 5).Select(i => OtlpRun.Record(i)));

        var run = await OtlpRun.RunAsync(receiver, "grpc", ("INPUT_PATH", input), ("OTEL_METRICS_EXEMPLAR_FILTER", "always_off"));

        run.ExitCode.Should().Be(0, run.ToString());
        receiver.Spans.Where(s => s.Name == "process_record").Should().HaveCount(5, "the spans are there; only the exemplars are off");
        LatencyPoints(receiver).Should().NotBeEmpty();
        Exemplars(receiver).Should().BeEmpty();
    }

    // An unsampled record's latency is measured while no record span is current; trace_based must
    // not take the batch_job span (always kept) for it, or exemplars would point at batch_job.
    [Fact]
    public async Task Trace_based_sends_no_exemplars_when_no_record_span_is_sampled()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var input = OtlpRun.TempInput(Enumerable.Range(1, 5).Select(i => OtlpRun.Record(i)));

        var run = await OtlpRun.RunAsync(receiver, "grpc", ("INPUT_PATH", input), ("OTEL_TRACES_SAMPLER", "always_off"));

        run.ExitCode.Should().Be(0, run.ToString());
        receiver.Spans.Where(s => s.Name == "process_record").Should().BeEmpty();
        LatencyPoints(receiver).Should().NotBeEmpty("the latencies are still measured");
        Exemplars(receiver).Should().BeEmpty("an exemplar would point at a span nobody has");
    }

    [Fact]
    public void An_unknown_filter_is_a_configuration_error_naming_the_key()
    {
        var (code, lines, stdout) = InProcessRun.Run(new Dictionary<string, string?> { ["OTEL_METRICS_EXEMPLAR_FILTER"] = "sometimes" });

        code.Should().Be(ExitCode.InvalidConfiguration, stdout);
        var error = lines.WithMessage("Invalid configuration").Should().ContainSingle().Subject;
        error.GetProperty("errors").EnumerateArray().Select(e => e.GetString()).Should()
            .ContainSingle(e => e!.Contains("OTEL_METRICS_EXEMPLAR_FILTER", StringComparison.Ordinal) && e.Contains("sometimes", StringComparison.Ordinal));
        lines.WithMessage("Record processed").Should().BeEmpty();
    }

    private static List<ReceivedPoint> LatencyPoints(OtlpReceiver receiver) =>
        receiver.Metrics.Where(m => m.Name == "record_latency_ms").SelectMany(m => m.Points).ToList();

    /// <summary>Every exemplar of every export: each one must hold, not only the last export's.</summary>
    private static List<ReceivedExemplar> Exemplars(OtlpReceiver receiver) =>
        [.. LatencyPoints(receiver).SelectMany(p => p.Exemplars)];
}
