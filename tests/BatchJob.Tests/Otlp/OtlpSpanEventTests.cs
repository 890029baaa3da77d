namespace BatchJob.Tests.Otlp;

/// <summary>The batch span's events as the collector gets them: the names and attributes a backend queries.</summary>
public sealed class OtlpSpanEventTests
{
    [Theory]
    [MemberData(nameof(OtlpRun.Protocols), MemberType = typeof(OtlpRun))]
    public async Task Rejected_lines_arrive_as_record_rejected_events_on_the_batch_span(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var input = OtlpRun.TempInput([OtlpRun.Record(1), "not json", "{\"id\": 3}", OtlpRun.Record(4)]);

        var run = await OtlpRun.RunAsync(receiver, protocol, ("INPUT_PATH", input), ("MAX_FAILED_RATIO", "1"));

        run.ExitCode.Should().Be(0, run.ToString());
        var batch = receiver.Spans.Should().ContainSingle(s => s.Name == "batch_job").Subject;
        batch.Events.Where(e => e.Name == "record.rejected").Select(e => (e.Attributes["line"], e.Attributes["error.type"]))
            .Should().Equal((2L, "invalid_json"), (3L, "invalid_record"));
        batch.EventNames.Should().NotContain(["record.rejected.truncated", "budget.exceeded", "exception"]);
    }

    [Fact]
    public async Task A_budget_stop_arrives_as_a_budget_exceeded_event_and_exit_4()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var input = OtlpRun.TempInput(Enumerable.Range(1, 3).Select(i => OtlpRun.Record(i)));

        var run = await OtlpRun.RunAsync(receiver, "grpc", ("INPUT_PATH", input), ("CPU_BURN_MS", "0.05"), ("COST_BUDGET_USD", "1e-12"));

        run.ExitCode.Should().Be(4, run.ToString());
        var batch = receiver.Spans.Should().ContainSingle(s => s.Name == "batch_job").Subject;
        var stop = batch.Events.Should().ContainSingle(e => e.Name == "budget.exceeded").Subject;
        stop.Attributes["budget_usd"].Should().Be(1e-12);
        stop.Attributes["cost_usd"].Should().Be(run.Summary.GetProperty("total_cost_usd").GetDouble());
        stop.Attributes["line"].Should().Be(2L);
    }
}
