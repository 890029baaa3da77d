using System.Text.Json;
using BatchJob.Tests.Support;
using Xunit.Abstractions;

namespace BatchJob.Tests.Otlp;

/// <summary>
/// A collector that is down, slow, or refusing never fails or hangs the job: it exits 0 within a
/// bounded time and says, in one WARN line, what did not arrive; what did arrive is not reported lost.
/// </summary>
public sealed class OtlpFailureModeTests(ITestOutputHelper output)
{
    private const int SampleSpans = 6; // batch_job, batch_start, read_input_data, 2 x process_record, batch_complete

    [Theory]
    [MemberData(nameof(OtlpRun.Protocols), MemberType = typeof(OtlpRun))]
    public async Task Receiver_down_the_job_exits_0_in_bounded_time_with_one_WARN_naming_the_endpoint_and_the_loss(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var endpoint = receiver.EndpointFor(protocol).AbsoluteUri;
        await receiver.StopAsync();

        var run = await OtlpRun.RunAsync(receiver, protocol, ("TELEMETRY_FLUSH_TIMEOUT_MS", "2000"), ("OTEL_EXPORTER_OTLP_TIMEOUT", "1000"));
        output.WriteLine($"{protocol}: receiver down, run took {run.Elapsed.TotalMilliseconds:0} ms");

        run.ExitCode.Should().Be(0, run.ToString());
        // Only a hang check: nothing listens, so the flush does not wait (and the exports would
        // fail within their 1 s timeout anyway). That the flush bound holds against a collector that never answers is
        // Receiver_slower_than_the_flush_bound_cannot_hold_the_job_past_TELEMETRY_FLUSH_TIMEOUT_MS.
        run.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), run.ToString());
        run.Summary.GetProperty("successful").GetInt64().Should().Be(2);
        var warn = SingleWarn(run);
        warn.GetProperty("endpoint").GetString().Should().Be(endpoint);
        warn.GetProperty("spans_lost").GetInt64().Should().Be(SampleSpans);
        warn.GetProperty("spans_total").GetInt64().Should().Be(SampleSpans);
        warn.GetProperty("metrics_delivered").GetBoolean().Should().BeFalse();
        warn.GetProperty("collector_reachable").GetBoolean().Should().BeFalse("nothing listened at the endpoint");
        receiver.Spans.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(OtlpRun.Protocols), MemberType = typeof(OtlpRun))]
    public async Task Receiver_slower_than_OTEL_EXPORTER_OTLP_TIMEOUT_is_cut_off_by_the_timeout_and_reported(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        receiver.ResponseDelay = TimeSpan.FromSeconds(120);

        // The receiver would answer after 120 s, the flush bound is 50 s: only the 5 s export
        // timeout can end the exports with the flush complete in time (flushed_in_time), so that
        // flag, not the wall clock, shows the timeout works. 5 s leaves a cold worker on a busy
        // machine time to connect (its first HTTP/2 or HTTP request takes ~0.5-1 s idle).
        var run = await OtlpRun.RunAsync(receiver, protocol, ("TELEMETRY_FLUSH_TIMEOUT_MS", "50000"), ("OTEL_EXPORTER_OTLP_TIMEOUT", "5000"));
        output.WriteLine($"{protocol}: receiver slow (120 s), export timeout 5 s, flush bound 50 s, run took {run.Elapsed.TotalMilliseconds:0} ms");

        run.ExitCode.Should().Be(0, run.ToString());
        var warn = SingleWarn(run);
        warn.GetProperty("spans_lost").GetInt64().Should().Be(SampleSpans);
        warn.GetProperty("metrics_delivered").GetBoolean().Should().BeFalse();
        warn.GetProperty("flushed_in_time").GetBoolean().Should().BeTrue("the exports failed on their own timeout, within the flush bound");
        warn.GetProperty("collector_reachable").GetBoolean().Should().BeTrue("the receiver accepted the connections: the flush waited for it");
        receiver.TraceRequests.Should().BePositive("the exports reached the receiver and were waiting for its answer");
    }

    [Theory]
    [MemberData(nameof(OtlpRun.Protocols), MemberType = typeof(OtlpRun))]
    public async Task Receiver_slower_than_the_flush_bound_cannot_hold_the_job_past_TELEMETRY_FLUSH_TIMEOUT_MS(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        receiver.ResponseDelay = TimeSpan.FromSeconds(120);

        // Without the bound the exit would wait the 100 s export timeout (the receiver answers
        // after 120 s); with it, 1.5 s plus start-up. The ceiling sits far from both, so it only
        // fails when the bound does, however slowly a busy machine starts the worker.
        var run = await OtlpRun.RunAsync(receiver, protocol, ("TELEMETRY_FLUSH_TIMEOUT_MS", "1500"), ("OTEL_EXPORTER_OTLP_TIMEOUT", "100000"));
        output.WriteLine($"{protocol}: receiver slow (120 s), export timeout 100 s, flush bound 1.5 s, run took {run.Elapsed.TotalMilliseconds:0} ms");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "the flush is bounded at 1.5 s whatever the export timeout");
        var warn = SingleWarn(run);
        warn.GetProperty("spans_lost").GetInt64().Should().Be(SampleSpans);
        warn.GetProperty("flushed_in_time").GetBoolean().Should().BeFalse();
        warn.GetProperty("metrics_delivered").GetBoolean().Should().BeFalse();
        warn.GetProperty("collector_reachable").GetBoolean().Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(OtlpRun.Protocols), MemberType = typeof(OtlpRun))]
    public async Task Receiver_refusing_the_first_attempt_is_retried_by_default_and_nothing_is_reported_lost(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        receiver.RefuseFirst = 1;

        // No OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY: the shipped default (in_memory) applies.
        var run = await OtlpRun.RunAsync(receiver, protocol);
        output.WriteLine($"{protocol}: first export of each signal refused, retried; run took {run.Elapsed.TotalMilliseconds:0} ms");

        run.ExitCode.Should().Be(0, run.ToString());
        receiver.Refused.Should().Be(2, "the first trace export and the first metric export were refused");
        run.Lines.Should().NotContain(l => l.GetProperty("level").GetString() == "WARN", run.ToString());
        receiver.Spans.Should().HaveCount(SampleSpans, "the retry delivered every span");
        receiver.Metrics.Select(m => m.Name).Should().Contain("batch_total_records");
        var records = run.WithMessage("Record processed").Select(l => l.GetProperty("span_id").GetString()).ToList();
        receiver.Spans.Select(s => s.SpanId).Should().Contain(records);
    }

    [Theory]
    [MemberData(nameof(OtlpRun.Protocols), MemberType = typeof(OtlpRun))]
    public async Task Receiver_refusing_with_retry_disabled_the_loss_is_reported_honestly(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        receiver.RefuseFirst = 1;

        var run = await OtlpRun.RunAsync(receiver, protocol, ("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", "disabled"));
        output.WriteLine($"{protocol}: first export of each signal refused, no retry; run took {run.Elapsed.TotalMilliseconds:0} ms");

        run.ExitCode.Should().Be(0, run.ToString());
        receiver.Refused.Should().Be(2);
        var warn = SingleWarn(run);

        // The sample's spans all go in one export, the refused one; were the run slow enough for a
        // second export, the report must still match what arrived.
        var lost = warn.GetProperty("spans_lost").GetInt64();
        lost.Should().BePositive();
        (receiver.Spans.Count + lost).Should().Be(SampleSpans, "spans_lost is exactly what the receiver did not get");
        warn.GetProperty("spans_dropped").GetInt64().Should().Be(0, "refused is not dropped: the queue had room");
        warn.GetProperty("metrics_delivered").GetBoolean().Should().BeFalse();
        warn.GetProperty("flushed_in_time").GetBoolean().Should().BeTrue();
    }

    private static JsonElement SingleWarn(WorkerRun run)
    {
        var warns = run.Lines.Where(l => l.GetProperty("level").GetString() == "WARN").ToList();
        warns.Should().ContainSingle(run.ToString());
        warns[0].GetProperty("message").GetString().Should().Be("Telemetry not fully delivered");
        return warns[0];
    }
}
