using System.Text.Json;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Logging;

/// <summary>
/// Issue 21, #7: any stdout failure ends the run the one documented way: exit 2 and one ERROR line
/// <c>Log output not writable</c> on stderr. A closed stdout or a read-only one aborted with an
/// unhandled exception (exit 134); a closed pipe was hidden by .NET's console stream, and the run
/// processed its whole input into the void.
/// </summary>
public sealed class StdoutFailureTests
{
    private static readonly Dictionary<string, string?> TelemetryOff = new() { ["ENABLE_TELEMETRY"] = "false" };

    [Theory]
    [InlineData("exec \"$0\" \"$@\" >&-")] // stdout closed
    [InlineData("exec \"$0\" \"$@\" 1</dev/null")] // stdout open, but read-only
    public async Task A_stdout_that_cannot_be_written_is_exit_2_with_one_ERROR_line_on_stderr(string script)
    {
        var run = await PublishedWorker.RunAsync(TelemetryOff, wrapper: ["/bin/sh", "-c", script], timeout: TimeSpan.FromSeconds(120));

        run.ExitCode.Should().Be(2, run.ToString());
        run.StdoutLines.Should().BeEmpty();
        var line = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle(run.ToString()).Subject;
        var error = JsonDocument.Parse(line).RootElement;
        error.GetProperty("level").GetString().Should().Be("ERROR");
        error.GetProperty("message").GetString().Should().Be("Log output not writable");
    }

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    public async Task A_pipe_whose_reader_is_gone_ends_the_run_early_with_exit_2(string logRecords)
    {
        // The input never ends: the run can only end because it noticed that nobody reads its log
        // (head took one line and left). The old worker ran until the timeout killed it.
        const string Script = """
            yes '{"id": 1, "features": [1.5, 2]}' | { "$0" "$@"; echo "worker exit $?" >&2; } | head -1 > /dev/null
            """;
        var run = await PublishedWorker.RunAsync(
            new Dictionary<string, string?>(TelemetryOff) { ["LOG_RECORDS"] = logRecords, ["PROGRESS_INTERVAL_SECONDS"] = "0.1" },
            args: ["--input", "/dev/stdin"],
            wrapper: ["/bin/sh", "-c", Script],
            timeout: TimeSpan.FromSeconds(120));

        run.Stderr.Should().Contain("worker exit 2", run.ToString());
        var errors = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).ToList();
        errors.Should().ContainSingle(run.ToString());
        JsonDocument.Parse(errors[0]).RootElement.GetProperty("message").GetString().Should().Be("Log output not writable");
    }
}
