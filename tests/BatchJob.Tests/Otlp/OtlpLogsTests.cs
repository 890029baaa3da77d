using BatchJob.Tests.Support;

namespace BatchJob.Tests.Otlp;

/// <summary>
/// The third signal: with OTEL_LOGS_EXPORTER=otlp (the lab's ConfigMap) every log line also
/// reaches the collector as an OTLP LogRecord, carrying the trace and span id of the span it was written
/// in, so a backend joins each record's log to its process_record span.
/// </summary>
public sealed class OtlpLogsTests
{
    private static readonly (string, string?) Logs = ("OTEL_LOGS_EXPORTER", "otlp");

    [Theory]
    [MemberData(nameof(OtlpRun.Protocols), MemberType = typeof(OtlpRun))]
    public async Task Each_record_log_record_arrives_with_its_process_record_spans_ids_and_the_lines_fields(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var input = OtlpRun.TempInput(Enumerable.Range(1, 5).Select(i => OtlpRun.Record(i)));

        var run = await OtlpRun.RunAsync(receiver, protocol, ("INPUT_PATH", input), Logs);

        run.ExitCode.Should().Be(0, run.ToString());
        run.WithMessage("Telemetry not fully delivered").Should().BeEmpty(run.ToString());
        var spans = receiver.Spans.ToDictionary(s => (s.TraceId, s.SpanId));
        var logs = receiver.Logs.Where(l => l.Body == "Record processed").ToDictionary(l => l.Attributes["id"]!);
        var lines = run.WithMessage("Record processed").ToList();
        lines.Should().HaveCount(5);
        logs.Should().HaveCount(5);
        foreach (var line in lines)
        {
            var log = logs[line.GetProperty("id").GetInt64()];
            log.TraceId.Should().Be(line.GetProperty("trace_id").GetString());
            log.SpanId.Should().Be(line.GetProperty("span_id").GetString());
            var span = spans[(log.TraceId, log.SpanId)];
            span.Name.Should().Be("process_record");
            span.Attributes["record.id"].Should().Be(log.Attributes["id"]);
            log.Attributes["prediction"].Should().Be(line.GetProperty("prediction").GetDouble());
            log.Attributes["latency_ms"].Should().Be(line.GetProperty("latency_ms").GetDouble());
            log.Attributes["cost_usd"].Should().Be(line.GetProperty("cost_usd").GetDouble());
            log.SeverityNumber.Should().Be(9, "INFO");
            log.ScopeName.Should().Be("BatchJob");
            log.Resource["service.name"].Should().Be("batch-inference-service");
        }
    }

    [Theory]
    [MemberData(nameof(OtlpRun.Protocols), MemberType = typeof(OtlpRun))]
    public async Task Every_line_arrives_with_its_level_fields_and_span_the_summary_with_batch_complete(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var input = OtlpRun.TempInput([OtlpRun.Record(1), "{\"id\": 2, \"features\": [\"x\"]}", OtlpRun.Record(3)]);

        var run = await OtlpRun.RunAsync(receiver, protocol, ("INPUT_PATH", input), ("MAX_FAILED_RATIO", "1"), Logs);

        run.ExitCode.Should().Be(0, run.ToString());
        run.WithMessage("Telemetry not fully delivered").Should().BeEmpty(run.ToString());
        // Every line is written before the flush here: with no WARN there is no line after it.
        receiver.Logs.Select(l => l.Body).Should().BeEquivalentTo(run.Lines.Select(l => l.GetProperty("message").GetString()));

        var failed = receiver.Logs.Single(l => l.Body == "Record failed");
        var line = run.WithMessage("Record failed").Single();
        failed.SeverityNumber.Should().Be(17, "ERROR");
        failed.SpanId.Should().Be(line.GetProperty("span_id").GetString());
        failed.Attributes["line"].Should().Be(2L);
        failed.Attributes["error"].Should().Be(line.GetProperty("error").GetString());
        var spans = receiver.Spans.ToDictionary(s => s.SpanId);
        spans[failed.SpanId].Name.Should().Be("process_record");

        var starting = receiver.Logs.Single(l => l.Body == "Starting batch inference job");
        spans[starting.SpanId].Name.Should().Be("read_input_data");
        starting.Attributes["input"].Should().Be(input);
        receiver.Logs.Single(l => l.Body == "Initializing OpenTelemetry").Attributes["logs"].Should().Be(true);

        // The summary is written inside batch_complete, so it carries that span's ids, and its fields as dotted attributes.
        var completed = receiver.Logs.Single(l => l.Body == "Batch job completed");
        spans[completed.SpanId].Name.Should().Be("batch_complete");
        completed.SpanId.Should().Be(run.WithMessage("Batch job completed").Single().GetProperty("span_id").GetString());
        completed.Attributes["summary.successful"].Should().Be(2L);
        completed.Attributes["summary.failed"].Should().Be(1L);
        completed.Attributes["summary.avg_prediction"].Should().Be(run.Summary.GetProperty("avg_prediction").GetDouble());
    }

    [Theory]
    [MemberData(nameof(OtlpRun.Protocols), MemberType = typeof(OtlpRun))]
    public async Task By_default_no_log_records_are_sent_and_the_lines_are_unchanged(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();

        var run = await OtlpRun.RunAsync(receiver, protocol);

        run.ExitCode.Should().Be(0, run.ToString());
        run.WithMessage("Record processed").Should().HaveCount(2);
        run.WithMessage("Initializing OpenTelemetry").Single().GetProperty("logs").GetBoolean().Should().BeFalse();
        receiver.Spans.Should().HaveCount(6);
        receiver.LogRequests.Should().Be(0);
        run.Lines.Should().NotContain(l => l.GetProperty("level").GetString() == "WARN", run.ToString());
    }

    [Theory]
    [MemberData(nameof(OtlpRun.Protocols), MemberType = typeof(OtlpRun))]
    public async Task A_refused_log_export_is_retried_by_default_and_without_retry_its_loss_is_counted_exactly(string protocol)
    {
        await using var retried = await OtlpReceiver.StartAsync();
        retried.RefuseFirst = 1;
        var run = await OtlpRun.RunAsync(retried, protocol, Logs);

        run.ExitCode.Should().Be(0, run.ToString());
        run.WithMessage("Telemetry not fully delivered").Should().BeEmpty(run.ToString());
        retried.Logs.Where(l => l.Body == "Record processed").Should().HaveCount(2, "the retry delivered them");

        await using var refusing = await OtlpReceiver.StartAsync();
        refusing.RefuseFirst = 1;
        run = await OtlpRun.RunAsync(refusing, protocol, Logs, ("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", "disabled"));

        run.ExitCode.Should().Be(0, run.ToString());
        var warn = run.WithMessage("Telemetry not fully delivered").Single();
        var lost = warn.GetProperty("logs_lost").GetInt64();
        lost.Should().BePositive();
        (refusing.Logs.Count + lost).Should().Be(warn.GetProperty("logs_total").GetInt64(), "logs_lost is exactly what the receiver did not get");
        warn.GetProperty("logs_dropped").GetInt64().Should().Be(0, "refused is not dropped: the queue had room");
    }
}
