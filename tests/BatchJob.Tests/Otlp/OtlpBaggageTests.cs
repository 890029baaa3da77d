namespace BatchJob.Tests.Otlp;

/// <summary>
/// BAGGAGE as the collector sees it: every span of the run (batch, phases, records) and every OTLP
/// log record carries its entries as attributes, and every stdout line as fields.
/// </summary>
public sealed class OtlpBaggageTests
{
    [Theory]
    [MemberData(nameof(OtlpRun.Protocols), MemberType = typeof(OtlpRun))]
    public async Task Every_span_log_record_and_stdout_line_of_the_run_carries_the_entries(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var input = OtlpRun.TempInput([OtlpRun.Record(1), "not json", OtlpRun.Record(3)]);

        var run = await OtlpRun.RunAsync(
            receiver, protocol, ("INPUT_PATH", input), ("MAX_FAILED_RATIO", "1"), ("OTEL_LOGS_EXPORTER", "otlp"), ("BAGGAGE", "cost_center=ml-platform,team=lab%20one"));

        run.ExitCode.Should().Be(0, run.ToString());
        run.WithMessage("Telemetry not fully delivered").Should().BeEmpty(run.ToString());
        receiver.Spans.Select(s => s.Name).Should().Contain(["batch_job", "batch_start", "read_input_data", "process_record", "batch_complete"]);
        receiver.Spans.Should().OnlyContain(s => Equals(s.Attributes["cost_center"], "ml-platform") && Equals(s.Attributes["team"], "lab one"));
        receiver.Logs.Should().HaveCount(run.Lines.Count);
        receiver.Logs.Should().OnlyContain(l => Equals(l.Attributes["cost_center"], "ml-platform") && Equals(l.Attributes["team"], "lab one"));
        run.Lines.Should().OnlyContain(l => l.GetProperty("cost_center").GetString() == "ml-platform" && l.GetProperty("team").GetString() == "lab one");
    }
}
