using System.Text.Json;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Input;

/// <summary>
/// Issue 21, #4: the worker never reads what it writes. With its log appended to its own input
/// (<c>--input f &gt;&gt; f</c>) each ERROR line it wrote came back as one more bad line, without
/// end, until the disk was full. Now any name of a file it writes refuses the input at start.
/// </summary>
public sealed class SelfReadTests
{
    [Theory]
    [InlineData("f", "exec \"$0\" \"$@\" >> f", "stdout")]
    [InlineData("link", "exec \"$0\" \"$@\" >> f", "stdout")] // a symbolic link to f
    [InlineData("hard", "exec \"$0\" \"$@\" >> f", "stdout")] // a hard link to f
    [InlineData("./sub/../f", "exec \"$0\" \"$@\" >> f", "stdout")] // another spelling
    [InlineData("f", "exec \"$0\" \"$@\" 2>> f", "stderr")]
    public async Task An_input_that_is_the_workers_own_stdout_or_stderr_is_refused_at_start(string inputName, string script, string stream)
    {
        var dir = Directory.CreateTempSubdirectory("batchjob-self-read-").FullName;
        var file = Path.Combine(dir, "f");
        File.WriteAllText(file, "bad\n");
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        File.CreateSymbolicLink(Path.Combine(dir, "link"), file);
        File.Exists(Path.Combine(dir, "hard")).Should().BeFalse();
        using (var ln = System.Diagnostics.Process.Start("ln", [file, Path.Combine(dir, "hard")]))
        {
            await ln.WaitForExitAsync();
            ln.ExitCode.Should().Be(0);
        }

        // A generous ceiling against the old behaviour, which never ended.
        var run = await PublishedWorker.RunAsync(
            new Dictionary<string, string?> { ["ENABLE_TELEMETRY"] = "false" },
            args: ["--input", inputName],
            timeout: TimeSpan.FromSeconds(60),
            workingDirectory: dir,
            wrapper: ["/bin/sh", "-c", script]);

        run.ExitCode.Should().Be(2, run.ToString());
        var lines = File.ReadAllLines(file);
        lines[0].Should().Be("bad");
        var written = stream == "stdout" ? lines.Skip(1).ToList() : run.StdoutLines;
        written.Should().ContainSingle(run.ToString());
        var error = JsonDocument.Parse(written[0]).RootElement;
        error.GetProperty("level").GetString().Should().Be("ERROR");
        error.GetProperty("errors")[0].GetString().Should().Contain($"INPUT_PATH='{inputName}'").And.Contain(stream);
        lines.Should().HaveCount(stream == "stdout" ? 2 : 1, "nothing but the one ERROR line was written into the input");
    }

    [Fact]
    public async Task A_character_device_may_be_both_input_and_stdout()
    {
        var run = await PublishedWorker.RunAsync(
            new Dictionary<string, string?> { ["ENABLE_TELEMETRY"] = "false" },
            args: ["--input", "/dev/null"],
            wrapper: ["/bin/sh", "-c", "exec \"$0\" \"$@\" > /dev/null"]);

        run.ExitCode.Should().Be(0, run.ToString());
    }
}
