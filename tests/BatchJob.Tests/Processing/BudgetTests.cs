using System.Text.Json;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Processing;

/// <summary>
/// COST_BUDGET_USD: the run stops before the record that would take its cost over the budget,
/// publishes what it made, says so in the summary and exits 4; the forecast warns first.
/// </summary>
[Collection(WorkerSourceListeners.Name)]
public sealed class BudgetTests
{
    private static string Records(int count) =>
        string.Concat(Enumerable.Range(1, count).Select(i => $"{{\"id\": {i}, \"features\": [{i}, 1]}}\n"));

    /// <summary>Simulated work makes every record cost something measurable, whatever the machine.</summary>
    private static Dictionary<string, string?> Environment(string input, string? budget) => new()
    {
        ["INPUT_PATH"] = input,
        ["CPU_BURN_MS"] = "0.2",
        ["BATCH_SIZE"] = "1",
        ["COST_BUDGET_USD"] = budget,
    };

    [Fact]
    public void A_budget_reached_stops_the_run_with_exit_4_the_real_spend_and_the_lines_left()
    {
        var input = InProcessRun.TempInput(Records(40));
        var output = Path.Combine(Path.GetDirectoryName(input)!, "predictions.jsonl");
        // One record costs about 0.2 ms of 0.5 cores and 0.5 GiB: ~1.2e-9 USD. Room for a few records only.
        var env = Environment(input, "5e-9");
        env["OUTPUT_PATH"] = output;

        var (code, lines, stdout) = InProcessRun.Run(env);

        code.Should().Be(ExitCode.BudgetExceeded, stdout);
        var records = lines.WithMessage("Record processed").ToList();
        records.Should().NotBeEmpty().And.HaveCountLessThan(40);
        var summary = lines.WithMessage("Batch job completed").Single().GetProperty("summary");
        summary.GetProperty("budget_exceeded").GetBoolean().Should().BeTrue();
        summary.GetProperty("budget_usd").GetDouble().Should().Be(5e-9);
        summary.GetProperty("successful").GetInt64().Should().Be(records.Count);
        summary.GetProperty("lines_unread").GetInt64().Should().Be(40 - records.Count, "every line is either processed or counted as unread");
        summary.GetProperty("interrupted").GetBoolean().Should().BeFalse();

        // Judged from the records so far: the spend passes the budget by at most the last record's cost.
        var spent = summary.GetProperty("total_cost_usd").GetDouble();
        var costs = records.Select(r => r.GetProperty("cost_usd").GetDouble()).ToList();
        spent.Should().BeApproximately(costs.Sum(), 1e-18);
        (spent - costs[^1]).Should().BeLessThanOrEqualTo(5e-9);

        var stop = lines.WithMessage("Cost budget exceeded").Single();
        stop.GetProperty("level").GetString().Should().Be("ERROR");
        stop.GetProperty("total_cost_usd").GetDouble().Should().Be(spent);
        var warn = lines.WithMessage("Cost forecast over budget").Should().ContainSingle("said once, before the stop").Subject;
        lines.ToList().IndexOf(warn).Should().BeLessThan(lines.ToList().IndexOf(stop));
        warn.GetProperty("forecast_cost_usd").GetDouble().Should().BeGreaterThan(5e-9);

        // What it made is published, atomically, with the records it did.
        File.ReadLines(output).Count(l => l.StartsWith("{\"id\"", StringComparison.Ordinal)).Should().Be(records.Count);
    }

    [Fact]
    public void A_budget_the_run_stays_within_changes_nothing_but_the_summary_fields()
    {
        var input = InProcessRun.TempInput(Records(5));

        var (code, lines, stdout) = InProcessRun.Run(Environment(input, "1"));

        code.Should().Be(ExitCode.Success, stdout);
        lines.WithMessage("Record processed").Should().HaveCount(5);
        var summary = lines.WithMessage("Batch job completed").Single().GetProperty("summary");
        summary.GetProperty("budget_exceeded").GetBoolean().Should().BeFalse();
        summary.GetProperty("budget_usd").GetDouble().Should().Be(1);
        summary.TryGetProperty("lines_unread", out _).Should().BeFalse();
        lines.WithMessage("Cost forecast over budget").Should().BeEmpty();
    }

    [Fact]
    public void Without_a_budget_the_summary_has_no_budget_fields()
    {
        var (code, lines, stdout) = InProcessRun.Run(Environment(InProcessRun.TempInput(Records(2)), null));

        code.Should().Be(ExitCode.Success, stdout);
        var summary = lines.WithMessage("Batch job completed").Single().GetProperty("summary");
        summary.TryGetProperty("budget_usd", out _).Should().BeFalse();
        summary.TryGetProperty("budget_exceeded", out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("ten dollars")]
    [InlineData("1e400")]
    public void A_budget_that_is_not_a_positive_amount_stops_the_run_before_any_record(string budget)
    {
        var (code, lines, _) = InProcessRun.Run(Environment(InProcessRun.TempInput(Records(2)), budget));

        code.Should().Be(ExitCode.InvalidConfiguration);
        lines.WithMessage("Record processed").Should().BeEmpty();
        lines.WithMessage("Invalid configuration").Single().GetProperty("errors").EnumerateArray()
            .Should().ContainSingle(e => e.GetString()!.StartsWith($"COST_BUDGET_USD='{budget}' is not valid", StringComparison.Ordinal));
    }

    [Fact]
    public void A_budget_without_cost_tracking_is_a_configuration_error()
    {
        var env = Environment(InProcessRun.TempInput(Records(2)), "1");
        env["ENABLE_COST_TRACKING"] = "false";

        var (code, lines, _) = InProcessRun.Run(env);

        code.Should().Be(ExitCode.InvalidConfiguration);
        lines.WithMessage("Invalid configuration").Single().GetProperty("errors").EnumerateArray()
            .Should().ContainSingle(e => e.GetString()!.Contains("ENABLE_COST_TRACKING=false", StringComparison.Ordinal));
    }

    [Fact]
    public void The_forecast_is_the_cost_so_far_scaled_by_the_bytes_left_and_ends_at_the_total()
    {
        var input = InProcessRun.TempInput(Records(10));

        var (code, lines, stdout) = InProcessRun.Run(Environment(input, null));

        code.Should().Be(ExitCode.Success, stdout);
        var records = lines.WithMessage("Record processed").ToList();
        var progress = lines.WithMessage("Batch progress").ToList();
        progress.Should().HaveCount(10, "BATCH_SIZE=1: a progress line after every record");
        var size = new FileInfo(input).Length;
        for (var i = 0; i < progress.Count; i++)
        {
            var spent = records.Take(i + 1).Sum(r => r.GetProperty("cost_usd").GetDouble());
            var bytesRead = File.ReadLines(input).Take(i + 1).Sum(l => l.Length + 1);
            progress[i].GetProperty("forecast_cost_usd").GetDouble().Should().BeApproximately(spent * size / bytesRead, spent * 1e-9);
        }

        progress[^1].GetProperty("forecast_cost_usd").GetDouble().Should().BeApproximately(
            lines.WithMessage("Batch job completed").Single().GetProperty("summary").GetProperty("total_cost_usd").GetDouble(), 1e-18);
    }
}
