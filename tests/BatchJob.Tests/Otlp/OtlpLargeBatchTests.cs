using BatchJob.Tests.Support;
using Xunit.Abstractions;

namespace BatchJob.Tests.Otlp;

/// <summary>
/// Span export never blocks the pipeline: when the export queue (OTEL_BSP_MAX_QUEUE_SIZE) is full
/// the SDK drops spans, and the run counts and reports them instead of waiting or hiding it.
/// </summary>
public sealed class OtlpLargeBatchTests(ITestOutputHelper output)
{
    private const int Records = 20_000;
    private const int Spans = Records + 4; // + batch_job, batch_start, read_input_data, batch_complete

    private static readonly Lazy<string> Input = new(() => OtlpRun.TempInput(Enumerable.Range(1, Records).Select(i => OtlpRun.Record(i))));

    [Theory]
    [MemberData(nameof(OtlpRun.Protocols), MemberType = typeof(OtlpRun))]
    public async Task Tiny_span_queue_the_run_completes_and_dropped_spans_are_counted_in_the_WARN(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        // The first span export is held until the run's end, so at most 16 spans (one export of 8
        // and a full queue of 8) can avoid the drop: drops are certain, not a race with the exporter.
        receiver.HoldTracesUntilMetrics = true;

        var run = await OtlpRun.RunAsync(receiver, protocol,
            ("INPUT_PATH", Input.Value), ("LOG_RECORDS", "false"), ("OTEL_BSP_MAX_QUEUE_SIZE", "8"),
            // Metrics only at exit, which releases the held export; the held export must not time
            // out (then its spans are failed, not dropped), and the flush bound only catches a hang.
            ("OTEL_METRIC_EXPORT_INTERVAL", "3600000"), ("OTEL_EXPORTER_OTLP_TIMEOUT", "60000"), ("TELEMETRY_FLUSH_TIMEOUT_MS", "50000"));
        output.WriteLine($"{protocol}: {Records} records, queue 8, run took {run.Elapsed.TotalMilliseconds:0} ms, received {receiver.Spans.Count} spans");

        run.ExitCode.Should().Be(0, run.ToString());
        var summary = run.Summary;
        summary.GetProperty("successful").GetInt64().Should().Be(Records);
        var warn = run.Lines.Where(l => l.GetProperty("level").GetString() == "WARN").Should().ContainSingle(run.ToString()).Subject;
        warn.GetProperty("message").GetString().Should().Be("Telemetry not fully delivered");
        var dropped = warn.GetProperty("spans_dropped").GetInt64();
        dropped.Should().BeGreaterThanOrEqualTo(Spans - 16, "the exporter was held while the queue of 8 filled");
        var received = receiver.Spans.Count;
        (received + dropped).Should().Be(Spans, "every span either reached the receiver or is counted as dropped");
        warn.GetProperty("spans_lost").GetInt64().Should().Be(dropped);
        warn.GetProperty("spans_total").GetInt64().Should().Be(Spans);
        warn.GetProperty("metrics_delivered").GetBoolean().Should().BeTrue("metrics do not go through the span queue");
        receiver.Metrics.Single(m => m.Name == "batch_total_records").Points.Single().Value.Should().Be(Records);
    }

    [Theory]
    [MemberData(nameof(OtlpRun.Protocols), MemberType = typeof(OtlpRun))]
    public async Task Small_span_queue_and_a_collector_that_keeps_up_the_batch_waits_for_it_and_drops_nothing(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        // A slow but healthy collector: each export takes 5 ms more, so 20,004 spans through a queue
        // of 64 outrun the exporter by far; without backpressure most of them are dropped.
        receiver.ResponseDelay = TimeSpan.FromMilliseconds(5);

        // The flush bound only catches a hang; what is tested is that nothing is dropped.
        var run = await OtlpRun.RunAsync(receiver, protocol,
            ("INPUT_PATH", Input.Value), ("LOG_RECORDS", "false"), ("OTEL_BSP_MAX_QUEUE_SIZE", "64"), ("TELEMETRY_FLUSH_TIMEOUT_MS", "50000"));
        output.WriteLine($"{protocol}: {Records} records, queue 64, run took {run.Elapsed.TotalMilliseconds:0} ms, received {receiver.Spans.Count} spans");

        run.ExitCode.Should().Be(0, run.ToString());
        run.WithMessage("Telemetry not fully delivered").Should().BeEmpty(run.ToString());
        receiver.Spans.Should().HaveCount(Spans);
        receiver.Spans.Select(s => s.SpanId).Distinct().Should().HaveCount(Spans);
    }

    [Fact]
    public async Task Span_queue_follows_OTEL_BSP_MAX_QUEUE_SIZE_a_queue_as_large_as_the_batch_drops_nothing()
    {
        await using var receiver = await OtlpReceiver.StartAsync();

        // The flush bound is generous, so it only catches a hang: what is tested is that nothing is
        // dropped or lost, not how fast a busy machine exports 20,004 spans.
        var run = await OtlpRun.RunAsync(receiver, "grpc",
            ("INPUT_PATH", Input.Value), ("LOG_RECORDS", "false"), ("OTEL_BSP_MAX_QUEUE_SIZE", "32768"), ("TELEMETRY_FLUSH_TIMEOUT_MS", "50000"));
        output.WriteLine($"grpc: {Records} records, queue 32768, run took {run.Elapsed.TotalMilliseconds:0} ms, received {receiver.Spans.Count} spans");

        run.ExitCode.Should().Be(0, run.ToString());
        run.WithMessage("Telemetry not fully delivered").Should().BeEmpty(run.ToString());
        receiver.Spans.Should().HaveCount(Spans);
        receiver.Spans.Select(s => s.SpanId).Distinct().Should().HaveCount(Spans);
    }
}
