using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BatchJob.Tests.Observability;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Kit;

/// <summary>
/// Every jq output the guide shows is what jq 1.6 prints for the worker lines it reads: recomputed in C#
/// (<see cref="JqNumber"/>) from the real worker lines the guide shows, and, when jq is on the PATH, also by
/// running the guide's own pipeline on those lines and on a fresh run's output. docs/scale-out.md's, which combine
/// shards of a generated input, are recomputed from three fresh shard runs.
/// </summary>
public sealed partial class GuideJqOutputTests
{
    private const string SummaryMessage = "Batch job completed";

    [Theory]
    // Each pair as jq 1.6 printed it (echo '[...]' | jq -c .).
    [InlineData(0.1, "0.1")]
    [InlineData(512.0, "512")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(1.9374999999999998e-11, "1.9374999999999998e-11")]
    [InlineData(123456789012345678.0, "123456789012345680")]
    [InlineData(1e16, "1e+16")]
    [InlineData(100000.0, "100000")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(1.5e300, "1.5e+300")]
    public async Task Numbers_print_as_jq_1_6_prints_them(double value, string printed)
    {
        JqNumber.Format(value).Should().Be(printed);
        if (Jq() is { } jq)
        {
            (await LogPipeline.RunAsync($"{jq} -c .", [value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)])).Trim().Should().Be(printed, "the installed jq agrees");
        }
    }

    [Fact]
    public async Task Step_15s_jq_line_is_the_summary_of_Step_12s_log()
    {
        var (commands, expected) = CommandAndOutput(SetupGuide.Text, "jq -c 'select(.message == \"" + SummaryMessage + "\")");
        var log = SetupGuide.PodRunLines;
        var summary = log.Select(l => JsonDocument.Parse(l).RootElement).Single(l => l.GetProperty("message").GetString() == SummaryMessage);
        var line = $"{{\"trace_id\":\"{summary.GetProperty("trace_id").GetString()}\",\"total_cost_usd\":{JqNumber.Format(summary.GetProperty("summary").GetProperty("total_cost_usd").GetDouble())}}}";

        expected.Should().Contain(line, "Step 15 shows jq's output for Step 12's summary line");
        if (Jq() is not null)
        {
            (await LogPipeline.RunAsync(AfterKubectlLogs(commands), log)).Trim().Should().Be(line);
        }
    }

    [Fact]
    public async Task The_summary_is_found_by_its_message_even_when_a_WARN_line_comes_last()
    {
        // A real run with the Job's pod environment and no collector: its last line is the WARN, not the summary.
        var template = Manifests.PodTemplate("Job", Manifests.JobName);
        var container = Manifests.Container(template, Manifests.BatchContainer);
        var env = PodEnvironment.Build(template, Manifests.BatchContainer, Manifests.JobName + "-x7k2p", Manifests.JobName, Manifests.Namespace);
        // The pod's volumes (the data folder) as temporary folders, and its args, as the pod runs them.
        var (args, run, _) = PodVolumes.Map(template, container, env);
        run["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9";
        run["TELEMETRY_FLUSH_TIMEOUT_MS"] = "500";
        var worker = await PublishedWorker.RunAsync(run, args);
        worker.ExitCode.Should().Be(0, worker.ToString());
        worker.StdoutLines[^1].Should().Contain("\"WARN\"", "the case `| tail -1` got wrong");

        var (commands, _) = CommandAndOutput(SetupGuide.Text, "jq -c 'select(.message == \"" + SummaryMessage + "\")");
        var expected = $"{{\"trace_id\":\"{worker.WithMessage(SummaryMessage).Single().GetProperty("trace_id").GetString()}\",\"total_cost_usd\":{JqNumber.Format(worker.Summary.GetProperty("total_cost_usd").GetDouble())}}}";
        if (Jq() is not null)
        {
            (await LogPipeline.RunAsync(AfterKubectlLogs(commands), worker.StdoutLines)).Trim().Should().Be(expected);
        }

        // Without jq, the selection the guide's commands make: by message, never by position.
        worker.StdoutLines.Where(l => l.Contains('"' + SummaryMessage + '"', StringComparison.Ordinal)).Should().ContainSingle();
    }

    [Fact]
    public async Task The_cost_check_in_troubleshooting_prints_what_jq_makes_of_Step_4s_lines()
    {
        var text = Repo.Read("docs", "troubleshooting.md");
        var (commands, expected) = CommandAndOutput(text, "| jq -c '{cpu_limit_cores, memory_limit_mb, cost_tracking}'");
        var local = SetupGuide.Blocks().Single(b => b.Language == "json" && b.Lines.Any(l => l.Contains("\"app_env\":\"local\"", StringComparison.Ordinal))).Lines
            .Where(l => l.StartsWith('{')).ToList();
        var lines = local.Select(l => JsonDocument.Parse(l).RootElement).ToList();

        var start = lines.Single(l => l.GetProperty("message").GetString() == "Starting batch inference job");
        var computed = new List<string>
        {
            $"{{\"cpu_limit_cores\":{JqNumber.Format(start.GetProperty("cpu_limit_cores").GetDouble())},\"memory_limit_mb\":{JqNumber.Format(start.GetProperty("memory_limit_mb").GetDouble())},\"cost_tracking\":{(start.GetProperty("cost_tracking").GetBoolean() ? "true" : "false")}}}",
        };
        foreach (var record in lines.Where(l => l.GetProperty("message").GetString() == "Record processed"))
        {
            var latency = record.GetProperty("latency_ms").GetDouble();

            // The jq program's own arithmetic, in its order: latency / 1000 * (0.5 * 0.04 + 0.5 * 0.005) / 3600.
            var recomputed = latency / 1000 * ((0.5 * 0.04) + (0.5 * 0.005)) / 3600;
            computed.Add(string.Join('\t', record.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
                JqNumber.Format(latency), JqNumber.Format(record.GetProperty("cost_usd").GetDouble()), JqNumber.Format(recomputed)));
        }

        expected.Where(l => l.Length > 0).Should().Equal(computed, "troubleshooting.md shows jq 1.6's output for Step 4's lines");
        if (Jq() is not null)
        {
            var output = new List<string>();
            foreach (var command in commands.Where(c => c.StartsWith("kubectl logs", StringComparison.Ordinal)))
            {
                output.AddRange((await LogPipeline.RunAsync(AfterKubectlLogs(command), local)).Split('\n', StringSplitOptions.RemoveEmptyEntries));
            }

            output.Should().Equal(computed);
        }
    }

    [SkippableFact]
    public async Task Scale_outs_combined_shards_are_what_jq_makes_of_three_shard_runs()
    {
        var python = Tool.Find("python3");
        Skip.If(python is null, "python3 is not on the PATH: docs/scale-out.md's input comes from bench/gen_input.py");
        var text = Repo.Read("docs", "scale-out.md");
        var dir = Directory.CreateTempSubdirectory("batchjob-scale-out-").FullName;
        var generate = Tool.Run(python, dir, [Repo.File("bench", "gen_input.py"), "12000", Path.Combine(dir, "input-12k.jsonl")], TimeSpan.FromMinutes(2));
        generate.ExitCode.Should().Be(0, generate.Output);

        // The page's loop, its /tmp/ being this folder: each shard with the settings and arguments it gives.
        var loop = string.Join('\n', SetupGuide.Blocks(text).Single(b => b.Language == "bash" && b.Lines.Any(l => l.Contains("JOB_COMPLETION_INDEX=$i", StringComparison.Ordinal))).Lines)
            .Replace("\\\n", " ", StringComparison.Ordinal);
        var args = ShardArgs().Match(loop).Groups[1].Value.Replace("/tmp/", dir + "/", StringComparison.Ordinal).Split(' ');
        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => PublishedWorker.RunAsync(
            Setting().Matches(loop).ToDictionary(m => m.Groups[1].Value, m => (string?)m.Groups[2].Value.Replace("$i", i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)),
            args)));
        runs.Should().OnlyContain(r => r.ExitCode == 0);
        var files = Enumerable.Range(0, 3).Select(i => File.ReadAllLines(Path.Combine(dir, $"predictions-{i}.jsonl"))).ToList();

        // jq's arithmetic in its order: records x average, added up shard by shard, over the records.
        var last = files.Select(f => JsonDocument.Parse(f[^1]).RootElement.GetProperty("summary")).ToList();
        var records = last.Sum(s => s.GetProperty("records").GetInt64());
        var average = last.Select(s => s.GetProperty("records").GetInt64() * s.GetProperty("avg_prediction").GetDouble()).Aggregate((a, b) => a + b) / records;
        string[] computed = [$"{{\"shards\":3,\"records\":{records},\"avg_prediction\":{JqNumber.Format(average)}}}", files.Sum(f => f.Count(l => !l.Contains("\"summary\"", StringComparison.Ordinal))).ToString(CultureInfo.InvariantCulture)];
        var (commands, expected) = CommandAndOutput(text, "for f in /tmp/predictions-*.jsonl");
        expected.Where(l => l.Length > 0).Should().Equal(computed, "docs/scale-out.md shows jq 1.6's output for three shard runs");

        // "the logs' jq prints the same shards, total_records and avg_prediction": the summaries' own weighted average.
        var summaries = runs.Select(r => r.Summary).ToList();
        summaries.Sum(s => s.GetProperty("total_records").GetInt64()).Should().Be(records);
        var successful = summaries.Sum(s => s.GetProperty("successful").GetInt64());
        JqNumber.Format(summaries.Select(s => s.GetProperty("avg_prediction").GetDouble() * s.GetProperty("successful").GetInt64()).Aggregate((a, b) => a + b) / successful)
            .Should().Be(JqNumber.Format(average));
        text.Should().Contain($"`total_records` {records}");
        if (Jq() is not null)
        {
            (await LogPipeline.RunAsync(string.Join('\n', commands).Replace("/tmp/", dir + "/", StringComparison.Ordinal), [])).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Should().Equal(computed);
            var logs = CommandAndOutput(text, "| jq -c 'select(.message == \"" + SummaryMessage + "\") | .summary'").Commands;
            var combined = JsonDocument.Parse(await LogPipeline.RunAsync(AfterKubectlLogs(string.Join(' ', logs)), runs.SelectMany(r => r.StdoutLines))).RootElement;
            (combined.GetProperty("shards").GetInt32(), combined.GetProperty("total_records").GetInt64(), JqNumber.Format(combined.GetProperty("avg_prediction").GetDouble()))
                .Should().Be((3, records, JqNumber.Format(average)));
        }
    }

    /// <summary>The bash block holding <paramref name="marker"/> (its logical lines) and the block after it.</summary>
    private static (List<string> Commands, IReadOnlyList<string> Output) CommandAndOutput(string markdown, string marker)
    {
        var blocks = SetupGuide.Blocks(markdown);
        var at = blocks.Select((b, i) => (b, i)).Single(x => x.b.Language == "bash" && x.b.Lines.Any(l => l.Contains(marker, StringComparison.Ordinal))).i;
        var commands = string.Join('\n', blocks[at].Lines).Replace("\\\n", " ", StringComparison.Ordinal).Split('\n').ToList();
        return (commands, blocks[at + 1].Lines);
    }

    /// <summary>The student's text processing: everything after `kubectl logs ... |` on the line that holds it.</summary>
    private static string AfterKubectlLogs(IEnumerable<string> commands) =>
        AfterKubectlLogs(commands.Single(c => c.StartsWith("kubectl logs", StringComparison.Ordinal) && c.Contains(" jq ", StringComparison.Ordinal)));

    private static string AfterKubectlLogs(string command) => command[(command.IndexOf('|', StringComparison.Ordinal) + 1)..];

    // docs/scale-out.md's shard loop: its settings (KEY=value) and the worker's arguments (after `--`, before the redirection).
    [GeneratedRegex(@"\b([A-Z_]+)=(\S+)")]
    private static partial Regex Setting();

    [GeneratedRegex(@" -- (.+?) >")]
    private static partial Regex ShardArgs();

    /// <summary>jq's path when it is installed; the recomputation in C# holds the guide's outputs either way.</summary>
    private static string? Jq() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "jq")).FirstOrDefault(File.Exists);
}
