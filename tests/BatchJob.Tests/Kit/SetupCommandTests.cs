using System.Diagnostics;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Kit;

/// <summary>The guide's shell pipelines that read the worker's logs, run for real on the worker's real output.</summary>
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

        // Everything after the first pipe is the student's text processing; only `kubectl logs` is replaced by the log itself.
        var pipeline = command[(command.IndexOf('|', StringComparison.Ordinal) + 1)..].TrimEnd(')');
        var output = await LogPipeline.RunAsync(pipeline, run.StdoutLines);

        output.Trim().Should().Be(run.WithMessage("Record processed").First().GetProperty("trace_id").GetString());
    }

    [Fact]
    public async Task The_trace_context_demo_in_setup_md_prints_what_the_guide_says()
    {
        // The bash block that starts with TRACEPARENT=... (in docs/otlp.md, which setup.md links), continuation lines
        // joined, run with the published worker for `dotnet run --project app --`.
        var blocks = SetupGuide.Blocks(Repo.Read("docs", "otlp.md"));
        var block = blocks.Where(b => b.Language == "bash").Select(b => string.Join('\n', b.Lines))
            .Should().ContainSingle(b => b.StartsWith("TRACEPARENT=", StringComparison.Ordinal)).Subject;
        var script = block.Replace("dotnet run --project app --", $"\"{PublishedWorker.Executable}\"", StringComparison.Ordinal);
        var expected = blocks
            .SkipWhile(b => !(b.Language == "bash" && string.Join('\n', b.Lines) == block)).Skip(1).First().Lines
            .Where(l => l.Length > 0).Select(l => l.Trim());

        var info = new ProcessStartInfo("bash", ["-c", "set -o pipefail; " + script]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("OTEL_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        using var bash = Process.Start(info)!;
        var output = await bash.StandardOutput.ReadToEndAsync();
        await bash.WaitForExitAsync();

        bash.ExitCode.Should().Be(0, await bash.StandardError.ReadToEndAsync());
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).Should().Equal(expected);
    }

    [Fact]
    public async Task Every_optional_part_has_a_fast_path_and_the_local_one_does_what_it_says()
    {
        var text = SetupGuide.Text;
        var section = text[text.IndexOf("\n## Going further", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 5, StringComparison.Ordinal)];

        // One link to a page under docs/ per part, each followed by its fast path: a short bash block.
        var parts = System.Text.RegularExpressions.Regex.Matches(section, @"(?m)^\*\*[^*]+\*\*, \[docs/[a-z-]+\.md\]").Select(m => m.Index).ToList();
        parts.Should().HaveCountGreaterThanOrEqualTo(2);
        foreach (var at in parts)
        {
            var block = SetupGuide.Blocks(section[at..])[0];
            block.Language.Should().Be("bash");
            block.Lines.Should().HaveCountLessThanOrEqualTo(5, "a fast path is a few commands");
        }

        // The production fast path, run with the published worker in place of `dotnet run --project app`
        // and its /tmp files in a folder of its own: the budget stops the run (exit 4), the bad line lands in the rejects file.
        var script = string.Join('\n', SetupGuide.Blocks(section[parts[0]..])[0].Lines);
        var folder = Directory.CreateTempSubdirectory("fast-path-").FullName;
        // The guide's /tmp first: the worker's own path may be under /tmp too (a clone there).
        script = script.Replace("/tmp/", folder + "/", StringComparison.Ordinal)
            .Replace("dotnet run --project app --", $"\"{PublishedWorker.Executable}\"", StringComparison.Ordinal)
            .Replace("dotnet run --project app", $"\"{PublishedWorker.Executable}\"", StringComparison.Ordinal);
        var info = new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        using var bash = Process.Start(info)!;
        var output = (await bash.StandardOutput.ReadToEndAsync()).Split('\n');
        await bash.WaitForExitAsync();

        bash.ExitCode.Should().Be(0, await bash.StandardError.ReadToEndAsync());
        output.Should().Contain("exit 4", "the budget stop's exit code, as the comment says");
        output.Where(l => l.StartsWith("{\"line\":", StringComparison.Ordinal)).Should().ContainSingle("one rejected line")
            .Which.Should().Contain("\"line\":2").And.Contain("\"raw\":\"not json\"");
    }
}
