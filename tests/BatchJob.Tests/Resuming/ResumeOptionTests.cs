using BatchJob.Tests.Support;

namespace BatchJob.Tests.Resuming;

/// <summary>RESUME's in-process side: the setting's rule, and the summary fields a resumed and a fresh run print.</summary>
[Collection(WorkerSourceListeners.Name)]
public sealed class ResumeOptionTests
{
    [Fact]
    public void RESUME_without_OUTPUT_PATH_is_a_configuration_error_naming_both()
    {
        var (code, _, stdout) = InProcessRun.Run(new Dictionary<string, string?> { ["RESUME"] = "true" });

        code.Should().Be(ExitCode.InvalidConfiguration);
        stdout.Should().Contain("RESUME='true'").And.Contain("OUTPUT_PATH");
    }

    [Fact]
    public void A_fresh_RESUME_run_says_it_resumed_from_line_0_and_leaves_no_checkpoint()
    {
        var input = InProcessRun.TempInput("{\"id\": 1, \"features\": [1.0, 2.0, 3.0]}\n{\"id\": 2, \"features\": [4.0, 5.0, 6.0]}\n");
        var output = Path.Combine(Path.GetDirectoryName(input)!, "p.jsonl");

        var (code, lines, _) = InProcessRun.Run(new Dictionary<string, string?> { ["INPUT_PATH"] = input, ["RESUME"] = "true", ["BATCH_SIZE"] = "1", ["CHECKPOINT_INTERVAL_SECONDS"] = "0" }, ["--output", output]);

        code.Should().Be(ExitCode.Success);
        var summary = lines.WithMessage("Batch job completed").Single().GetProperty("summary");
        summary.GetProperty("resumed_from_line").GetInt64().Should().Be(0);
        summary.GetProperty("run_total_cost_usd").GetDouble().Should().Be(summary.GetProperty("total_cost_usd").GetDouble());
        Directory.EnumerateFiles(Path.GetDirectoryName(input)!).Select(Path.GetFileName).Should().BeEquivalentTo(["input.jsonl", "p.jsonl"]);
        File.ReadAllText(output).Should().Be("{\"id\": 1, \"prediction\": 6.0}\n{\"id\": 2, \"prediction\": 15.0}\n{\"summary\": {\"records\": 2, \"avg_prediction\": 10.5}}\n");
    }

    [Fact]
    public void A_run_without_RESUME_has_neither_field()
    {
        var (_, lines, _) = InProcessRun.Run(new Dictionary<string, string?>());

        var summary = lines.WithMessage("Batch job completed").Single().GetProperty("summary");
        summary.TryGetProperty("resumed_from_line", out _).Should().BeFalse();
        summary.TryGetProperty("run_total_cost_usd", out _).Should().BeFalse();
    }
}
