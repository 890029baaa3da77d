using System.Diagnostics;
using BatchJob.Telemetry;
using BatchJob.Tests.Support;
using Xunit.Abstractions;

namespace BatchJob.Tests.Otlp;

/// <summary>
/// Span export, and log record export (OTEL_LOGS_EXPORTER=otlp), slow the pipeline only as much as
/// a collector that keeps up needs: at a nearly full export queue (OTEL_BSP_MAX_QUEUE_SIZE) the
/// batch waits for an exporter that is succeeding, and drops nothing; a stuck or failing exporter
/// is waited for at most one export timeout, then what the queue cannot hold is dropped and the
/// run counts and reports it.
/// </summary>
public sealed class OtlpLargeBatchTests(ITestOutputHelper output)
{
    private const int Records = 20_000;
    private const int Spans = Records + 4; // + batch_job, batch_start, read_input_data, batch_complete

    private static readonly Lazy<string> Input = new(() => OtlpRun.TempInput(Enumerable.Range(1, Records).Select(i => OtlpRun.Record(i))));

    [Theory]
    [MemberData(nameof(OtlpRun.Protocols), MemberType = typeof(OtlpRun))]
    public async Task Tiny_span_queue_and_a_stuck_collector_the_run_stops_waiting_and_dropped_spans_are_counted_in_the_WARN(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        // Every span export is held until the run's end: the exporter neither succeeds nor fails
        // until its 2 s timeout. The batch waits for it once, at most that timeout, then stops
        // waiting (the exporter is stalled, then failing) and drops what the queue of 8 cannot hold.
        receiver.HoldTracesUntilMetrics = true;

        var run = await OtlpRun.RunAsync(receiver, protocol,
            ("INPUT_PATH", Input.Value), ("LOG_RECORDS", "false"), ("OTEL_BSP_MAX_QUEUE_SIZE", "8"),
            // Metrics only at exit, which releases the held exports; the flush bound only catches a hang.
            ("OTEL_METRIC_EXPORT_INTERVAL", "3600000"), ("OTEL_EXPORTER_OTLP_TIMEOUT", "2000"), ("TELEMETRY_FLUSH_TIMEOUT_MS", "50000"));
        output.WriteLine($"{protocol}: {Records} records, queue 8, run took {run.Elapsed.TotalMilliseconds:0} ms, received {receiver.Spans.Count} spans");

        run.ExitCode.Should().Be(0, run.ToString());
        var summary = run.Summary;
        summary.GetProperty("successful").GetInt64().Should().Be(Records);
        var warn = run.Lines.Where(l => l.GetProperty("level").GetString() == "WARN").Should().ContainSingle(run.ToString()).Subject;
        warn.GetProperty("message").GetString().Should().Be("Telemetry not fully delivered");
        var dropped = warn.GetProperty("spans_dropped").GetInt64();
        // Until the hold ends at exit, each export times out after 2 s and frees at most 8 places:
        // even a run slowed to the 60 s the harness allows admits at most 8 + 30 * 8 spans.
        dropped.Should().BeGreaterThanOrEqualTo(Spans - 248, "the exporter was stuck while the queue of 8 filled");
        var lost = warn.GetProperty("spans_lost").GetInt64();
        // Nothing is lost silently: every span reached the receiver or is counted lost. A span can
        // be both only if the hold ends in the moment its export's 2 s deadline expires: the
        // receiver accepts what the exporter has given up on (delivered but unconfirmed, as with
        // any collector). Exports go one at a time, so that is at most one export batch: 6 spans
        // (3/4 of the queue of 8). Seen once in 20 runs with a core busy.
        (receiver.Spans.Count + lost).Should().BeInRange(Spans, Spans + ExportGate.HighWaterMark(8), "every span either reached the receiver or is counted as lost");
        lost.Should().BeGreaterThanOrEqualTo(dropped, "dropped spans are part of the lost ones, with those of failed exports");
        warn.GetProperty("spans_total").GetInt64().Should().Be(Spans);
        warn.GetProperty("metrics_delivered").GetBoolean().Should().BeTrue("metrics do not go through the span queue");
        receiver.Metrics.Single(m => m.Name == "batch_total_records").Points.Single().Value.Should().Be(Records);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sigterm_while_the_batch_waits_for_a_stuck_exporter_ends_the_wait_at_once(bool logs)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        // The first span (and log record) export is held until metrics arrive (at exit), so the
        // batch soon waits at a queue's high-water mark. The wait's bound is the 2-minute export
        // timeout: only the signal can end it in time.
        receiver.HoldTracesUntilMetrics = true;
        var clock = Stopwatch.StartNew();
        using var worker = PublishedWorker.Start(OtlpRun.Environment(receiver, "grpc",
            ("INPUT_PATH", Input.Value), ("OTEL_BSP_MAX_QUEUE_SIZE", "8"), ("OTEL_LOGS_EXPORTER", logs ? "otlp" : "none"),
            ("OTEL_METRIC_EXPORT_INTERVAL", "3600000"), ("OTEL_EXPORTER_OTLP_TIMEOUT", "120000"), ("TELEMETRY_FLUSH_TIMEOUT_MS", "120000")));
        // A held export in flight: its queue is at the mark, so the next item waits (or, if the
        // signal comes first, ends after it and must not wait then either).
        SpinWait.SpinUntil(() => receiver.TraceRequests + receiver.LogRequests > 0, TimeSpan.FromMinutes(1)).Should().BeTrue("the worker exports");
        var signalled = clock.Elapsed;
        Signals.Send(worker.Id, Signals.SigTerm);
        var run = await PublishedWorker.CollectAsync(worker, clock, TimeSpan.FromMinutes(3));
        output.WriteLine($"grpc, logs {logs}: SIGTERM while waiting, exit {run.Elapsed - signalled:g} after the signal");

        run.ExitCode.Should().Be(143, run.ToString());
        // A ceiling far below the 2-minute wait bound, with room for a loaded machine: the worker
        // needs the record in hand and a flush, which the metric export releases (about a second).
        (run.Elapsed - signalled).Should().BeLessThan(TimeSpan.FromSeconds(30), run.ToString());
        run.Summary.GetProperty("interrupted").GetBoolean().Should().BeTrue();
        var warn = run.WithMessage("Telemetry not fully delivered").Should().ContainSingle(run.ToString()).Subject;
        // After the signal nothing waits: what did not fit was dropped, and all of it is accounted for.
        (receiver.Spans.Count + warn.GetProperty("spans_lost").GetInt64()).Should().Be(warn.GetProperty("spans_total").GetInt64());
    }

    [Fact]
    public async Task Tiny_queues_and_no_collector_the_run_does_not_wait_for_failing_exporters_and_every_span_and_log_record_is_counted_lost()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await receiver.StopAsync();

        // Retry on (the default): each refused export fails at its 2 s timeout. The batch does not
        // wait: before any export finished, a refused connect shows nothing listens, and after, the
        // exports fail. The gates count the drops themselves, so they are known however the flush ends
        // (it does not wait either: nothing ever accepted a connection).
        var run = await OtlpRun.RunAsync(receiver, "grpc",
            ("INPUT_PATH", Input.Value), ("OTEL_LOGS_EXPORTER", "otlp"), ("OTEL_BSP_MAX_QUEUE_SIZE", "8"),
            ("OTEL_EXPORTER_OTLP_TIMEOUT", "2000"), ("TELEMETRY_FLUSH_TIMEOUT_MS", "10000"));
        output.WriteLine($"grpc: {Records} records, queue 8, receiver down, run took {run.Elapsed.TotalMilliseconds:0} ms");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Summary.GetProperty("successful").GetInt64().Should().Be(Records);
        var warn = run.WithMessage("Telemetry not fully delivered").Should().ContainSingle(run.ToString()).Subject;
        warn.GetProperty("spans_lost").GetInt64().Should().Be(Spans);
        warn.GetProperty("spans_total").GetInt64().Should().Be(Spans);
        // Had the batch waited for each failing export (2 s for 6 items), it would not finish in
        // the harness's minute; not waiting, each queue admits 8 items and 6 more per failed export.
        warn.GetProperty("spans_dropped").GetInt64().Should().BeGreaterThanOrEqualTo(Spans - 248);
        warn.GetProperty("collector_reachable").GetBoolean().Should().BeFalse();
        // Every line but the WARN itself was written before the flush, so each is a log record.
        var logs = run.Lines.Count - 1;
        warn.GetProperty("logs_total").GetInt64().Should().Be(logs);
        warn.GetProperty("logs_lost").GetInt64().Should().Be(logs);
        warn.GetProperty("logs_dropped").GetInt64().Should().BeGreaterThanOrEqualTo(logs - 248);
    }

    /// <summary>Each protocol, with span export alone and with log records exported too (the lab's ConfigMap).</summary>
    public static TheoryData<string, bool> ProtocolsAndLogs => new()
    {
        { "grpc", false }, { "http/protobuf", false }, { "grpc", true }, { "http/protobuf", true },
    };

    [Theory]
    [MemberData(nameof(ProtocolsAndLogs))]
    public async Task Small_queues_and_a_collector_that_keeps_up_the_batch_waits_for_it_and_drops_no_span_or_log_record(string protocol, bool logs)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        // A slow but healthy collector: each export takes 5 ms more, so 20,004 spans (and with logs
        // a log record per record) through queues of 64 outrun the exporters by far; without
        // backpressure most of them are dropped.
        receiver.ResponseDelay = TimeSpan.FromMilliseconds(5);

        // The flush bound only catches a hang; what is tested is that nothing is dropped.
        var run = await OtlpRun.RunAsync(receiver, protocol,
            ("INPUT_PATH", Input.Value), logs ? ("OTEL_LOGS_EXPORTER", "otlp") : ("LOG_RECORDS", "false"),
            ("OTEL_BSP_MAX_QUEUE_SIZE", "64"), ("TELEMETRY_FLUSH_TIMEOUT_MS", "50000"));
        output.WriteLine($"{protocol}, logs {logs}: {Records} records, queue 64, run took {run.Elapsed.TotalMilliseconds:0} ms, received {receiver.Spans.Count} spans, {receiver.Logs.Count} of {run.Lines.Count} lines as log records");

        run.ExitCode.Should().Be(0, run.ToString());
        run.WithMessage("Telemetry not fully delivered").Should().BeEmpty(run.ToString());
        receiver.Spans.Should().HaveCount(Spans);
        receiver.Spans.Select(s => s.SpanId).Distinct().Should().HaveCount(Spans);
        if (logs)
        {
            // With no WARN every stdout line was written before the flush, so each is a log record.
            receiver.Logs.Should().HaveCount(run.Lines.Count);
            receiver.Logs.Where(l => l.Body == "Record processed").Select(l => l.Attributes["id"]).Should()
                .BeEquivalentTo(Enumerable.Range(1, Records).Select(i => (object)(long)i));
        }
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
