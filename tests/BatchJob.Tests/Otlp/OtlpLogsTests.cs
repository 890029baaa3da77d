using BatchJob.Tests.Support;

namespace BatchJob.Tests.Otlp;

/// <summary>
/// The third signal: every log line also reaches the collector as an OTLP LogRecord (the lab
/// default, OTEL_LOGS_EXPORTER=otlp), carrying the trace and span id of the span it was written
/// in, so a backend joins each record's log to its process_record span.
/// </summary>
public sealed class OtlpLogsTests
{
    [Theory]
    [MemberData(nameof(OtlpRun.Protocols), MemberType = typeof(OtlpRun))]
    public async Task Each_record_log_record_arrives_with_its_process_record_spans_ids_and_the_lines_fields(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var input = OtlpRun.TempInput(Enumerable.Range(1, 5).Select(i => OtlpRun.Record(i)));

        var run = await OtlpRun.RunAsync(receiver, protocol, ("INPUT_PATH", input));

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
    public async Task Every_line_written_before_the_flush_arrives_with_its_level_fields_and_span(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var input = OtlpRun.TempInput([OtlpRun.Record(1), "{\"id\": 2, \"features\": [\"x\"]}", OtlpRun.Record(3)]);

        var run = await OtlpRun.RunAsync(receiver, protocol, ("INPUT_PATH", input), ("MAX_FAILED_RATIO", "1"));

        run.ExitCode.Should().Be(0, run.ToString());
        run.WithMessage("Telemetry not fully delivered").Should().BeEmpty(run.ToString());
        var flushed = run.Lines.TakeWhile(l => l.GetProperty("message").GetString() != "Batch job completed").ToList();
        receiver.Logs.Select(l => l.Body).Should().BeEquivalentTo(flushed.Select(l => l.GetProperty("message").GetString()));

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
    }

    [Theory]
    [MemberData(nameof(OtlpRun.Protocols), MemberType = typeof(OtlpRun))]
    public async Task OTEL_LOGS_EXPORTER_none_sends_no_log_records_and_keeps_the_lines(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();

        var run = await OtlpRun.RunAsync(receiver, protocol, ("OTEL_LOGS_EXPORTER", "none"));

        run.ExitCode.Should().Be(0, run.ToString());
        run.WithMessage("Record processed").Should().HaveCount(2);
        run.WithMessage("Initializing OpenTelemetry").Single().GetProperty("logs").GetBoolean().Should().BeFalse();
        receiver.Spans.Should().HaveCount(6);
        receiver.LogRequests.Should().Be(0);
    }
}
