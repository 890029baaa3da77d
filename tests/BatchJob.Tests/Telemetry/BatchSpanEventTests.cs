using System.Diagnostics;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Telemetry;

/// <summary>
/// The events on the batch span (<c>batch_job</c>): a rejected line each (capped, then one count of
/// the rest), the budget stop, and the semantic-convention <c>exception</c> when the run fails.
/// </summary>
[Collection(WorkerSourceListeners.Name)]
public sealed class BatchSpanEventTests
{
    private const int Cap = 100;

    [Fact]
    public void Each_rejected_line_is_an_event_up_to_the_cap_then_one_event_counts_the_rest()
    {
        const int bad = Cap + 5;
        // Two kinds of bad line, alternating, after a good record and a blank line: the events must
        // carry each line's own number and kind.
        var lines = Enumerable.Range(0, bad).Select(i => i % 2 == 0 ? "not json" : "{\"id\": 7}");
        var input = "{\"id\": 1, \"features\": [1.0]}\n\n" + string.Join('\n', lines) + "\n";

        using var run = HostedRun.Run(input, new Dictionary<string, string?> { ["MAX_FAILED_RATIO"] = "1" });

        run.Code.Should().Be(ExitCode.Success);
        var failed = run.Lines.WithMessage("Record failed").Select(l => l.GetProperty("line").GetInt64()).ToList();
        failed.Should().HaveCount(bad);
        var events = BatchSpan(run).Events.ToList();
        var rejected = events.Where(e => e.Name == "record.rejected").ToList();
        rejected.Select(e => Tag(e, "line")).Should().Equal(failed.Take(Cap).Cast<object>(), "one event per rejected line, in order, with its line number");
        rejected.Select(e => Tag(e, "error.type")).Should().Equal(
            failed.Take(Cap).Select(line => (object)(line % 2 == 1 ? "invalid_json" : "invalid_record")));
        var truncated = events.Should().ContainSingle(e => e.Name == "record.rejected.truncated").Subject;
        Tag(truncated, "count").Should().Be((long)(bad - Cap));
        events.IndexOf(truncated).Should().BeGreaterThan(events.IndexOf(rejected[^1]), "the count of the rest comes after the events it stands for");
    }

    [Fact]
    public void A_few_rejected_lines_are_all_events_and_no_truncation_event()
    {
        using var run = HostedRun.Run("{\"id\": 1, \"features\": [1.0]}\nnot json\n", new Dictionary<string, string?> { ["MAX_FAILED_RATIO"] = "1" });

        var events = BatchSpan(run).Events.ToList();
        events.Where(e => e.Name == "record.rejected").Select(e => Tag(e, "line")).Should().Equal(2L);
        events.Should().NotContain(e => e.Name == "record.rejected.truncated");
    }

    [Fact]
    public void A_budget_stop_is_an_event_with_the_spend_the_budget_and_the_line_it_stopped_before()
    {
        var input = string.Join('\n', Enumerable.Range(1, 3).Select(i => $"{{\"id\": {i}, \"features\": [1.0]}}")) + "\n";

        using var run = HostedRun.Run(input, new Dictionary<string, string?> { ["CPU_BURN_MS"] = "0.05", ["COST_BUDGET_USD"] = "1e-12" });

        run.Code.Should().Be(ExitCode.BudgetExceeded);
        var summary = run.Lines.WithMessage("Batch job completed").Single().GetProperty("summary");
        summary.GetProperty("successful").GetInt64().Should().Be(1, "the first record's cost already passes the budget");
        var stop = BatchSpan(run).Events.Should().ContainSingle(e => e.Name == "budget.exceeded").Subject;
        Tag(stop, "budget_usd").Should().Be(1e-12);
        Tag(stop, "cost_usd").Should().Be(summary.GetProperty("total_cost_usd").GetDouble());
        Tag(stop, "line").Should().Be(2L, "the record it did not start");
    }

    [Fact]
    public void A_run_within_its_budget_has_no_budget_event()
    {
        using var run = HostedRun.Run("{\"id\": 1, \"features\": [1.0]}\n", new Dictionary<string, string?> { ["COST_BUDGET_USD"] = "1000" });

        run.Code.Should().Be(ExitCode.Success);
        BatchSpan(run).Events.Should().NotContain(e => e.Name == "budget.exceeded");
    }

    [SkippableFact]
    public void An_input_that_fails_mid_read_ends_the_batch_span_with_the_exception_event_and_exit_2()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "/proc/self/mem is Linux's");

        // Opens as a regular file, and every read at offset 0 (an unmapped address) fails with EIO:
        // a read error after the input was opened, every time.
        using var run = HostedRun.Run("", new Dictionary<string, string?> { ["INPUT_PATH"] = "/proc/self/mem" });

        run.Code.Should().Be(ExitCode.InvalidConfiguration, "an unreadable input is exit 2, as documented");
        run.Lines.WithMessage("Input not readable").Should().ContainSingle();
        var batch = BatchSpan(run);
        batch.Status.Should().Be(ActivityStatusCode.Error);
        var exception = batch.Events.Should().ContainSingle(e => e.Name == "exception").Subject;
        Tag(exception, "exception.type").Should().Be(typeof(BatchJob.Input.InputException).FullName);
        ((string)Tag(exception, "exception.message")!).Should().Contain("cannot read '/proc/self/mem'");
        Tag(exception, "exception.stacktrace").Should().NotBeNull();
    }

    private static Activity BatchSpan(HostedRun run) => run.Spans.Single(s => s.DisplayName == "batch_job");

    private static object? Tag(ActivityEvent e, string name) => e.Tags.Single(t => t.Key == name).Value;
}
