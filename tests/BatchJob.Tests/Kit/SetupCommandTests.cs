using System.Diagnostics;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Kit;

/// <summary>setup.md's shell pipelines that read the worker's logs, run for real on the worker's real output.</summary>
public sealed class SetupCommandTests
{
    [Fact]
    public async Task The_trace_id_extraction_in_setup_md_finds_the_first_record_trace_id()
    {
        var command = SetupGuide.Blocks().Where(b => b.Language == "bash").SelectMany(b => b.Lines)
            .Should().ContainSingle(l => l.StartsWith("TRACE_ID=$(kubectl logs ", StringComparison.Ordinal)).Subject;
        var run = await PublishedWorker.RunAsync(new Dictionary<string, string?>
        {
            ["OTEL_TRACES_EXPORTER"] = "none",
            ["OTEL_METRICS_EXPORTER"] = "none",
        });
        run.ExitCode.Should().Be(0, run.ToString());
        var log = Path.GetTempFileName();
        await File.WriteAllLinesAsync(log, run.StdoutLines);

        // Everything after the first pipe is the student's text processing; only `kubectl logs` is replaced by the log itself.
        var pipeline = command[(command.IndexOf('|', StringComparison.Ordinal) + 1)..].TrimEnd(')');
        var info = new ProcessStartInfo("bash", ["-c", $"set -o pipefail; cat \"$LOG\" | {pipeline}"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["LOG"] = log;
        using var bash = Process.Start(info)!;
        var output = await bash.StandardOutput.ReadToEndAsync();
        await bash.WaitForExitAsync();

        bash.ExitCode.Should().Be(0, await bash.StandardError.ReadToEndAsync());
        output.Trim().Should().Be(run.WithMessage("Record processed").First().GetProperty("trace_id").GetString());
    }
}
