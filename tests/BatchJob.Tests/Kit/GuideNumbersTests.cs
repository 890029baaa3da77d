using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Kit;

/// <summary>
/// Numbers in the guide's expected outputs that come from real runs stay what a run gives: the
/// test counts of its filtered <c>dotnet test</c> summaries (the whole suite's shows only its shape), and the delivery counts of its
/// <c>Telemetry not fully delivered</c> lines.
/// </summary>
public sealed partial class GuideNumbersTests
{
    [Fact]
    public void Every_dotnet_test_summary_in_setup_md_counts_the_tests_its_command_runs()
    {
        var blocks = SetupGuide.Blocks();
        var checkedCommands = 0;
        for (var i = 0; i < blocks.Count - 1; i++)
        {
            if (blocks[i].Language != "bash" || blocks[i].Lines.SingleOrDefault(l => l.StartsWith("dotnet test", StringComparison.Ordinal)) is not { } command)
            {
                continue;
            }

            var filter = FilterText().Match(command);
            if (!filter.Success)
            {
                // The whole suite's count changes with every test added: the guide shows the shape of a green run instead.
                blocks[i + 1].Lines.Should().ContainSingle(l => WholeSuite().IsMatch(l), "the whole suite's summary shows a green run without pinning its count");
                checkedCommands++;
                continue;
            }

            var expected = TestInventory.Count(filter.Groups[1].Value);
            var summary = blocks[i + 1].Lines.Select(l => Summary().Match(l)).Single(m => m.Success);
            int.Parse(summary.Groups["passed"].Value, CultureInfo.InvariantCulture).Should().Be(expected, $"'{command}' runs {expected} tests");
            int.Parse(summary.Groups["total"].Value, CultureInfo.InvariantCulture).Should().Be(expected, $"'{command}' runs {expected} tests");
            checkedCommands++;
        }

        checkedCommands.Should().BeGreaterThanOrEqualTo(2, "setup.md shows the whole suite and one filtered run");
        TestInventory.Count(null).Should().BeGreaterThan(TestInventory.Count("CostModelTests"));
    }

    [Fact]
    public async Task Delivery_counts_in_every_WARN_example_are_what_a_sample_run_reports()
    {
        // The local sample, and the sample with the Job's pod environment: both with nothing listening
        // on the endpoint, the case every WARN example in the docs shows.
        var local = await WarnOfAsync(new Dictionary<string, string?>());
        var template = Manifests.PodTemplate("Job", Manifests.JobName);
        var (podArgs, podEnv, _) = PodVolumes.Map(template, Manifests.Container(template, Manifests.BatchContainer),
            PodEnvironment.Build(template, Manifests.BatchContainer, Manifests.JobName + "-x7k2p", Manifests.JobName, Manifests.Namespace));
        var pod = await WarnOfAsync(podEnv, podArgs);

        var shown = 0;
        var whole = 0;
        foreach (var file in SetupGuide.GuideFiles.Append("README.md"))
        {
            foreach (var (language, lines) in SetupGuide.Blocks(Repo.Read(file)))
            {
                var text = string.Join('\n', lines);
                if (language != "json" || !text.Contains("\"Telemetry not fully delivered\"", StringComparison.Ordinal))
                {
                    continue;
                }

                var inCluster = text.Contains("\"endpoint\":\"http://otel-collector-paid:", StringComparison.Ordinal);
                var (real, realLine) = inCluster ? pod : local;
                // A whole line (not an abridged example) has the same fields in the same order as a real
                // run's, the pod's baggage included, not only the same counts.
                var shownLine = lines.Single(l => l.Contains("\"Telemetry not fully delivered\"", StringComparison.Ordinal));
                if (shownLine.StartsWith("{\"timestamp\"", StringComparison.Ordinal))
                {
                    SetupGuide.LineShape(shownLine).Should().Be(SetupGuide.LineShape(realLine), $"{file} shows the WARN line as a sample run {(inCluster ? "with the pod's environment" : "run locally")} prints it:\n{realLine}");
                    whole++;
                }

                var counts = DeliveryCount().Matches(text).ToList();
                counts.Should().Contain(m => m.Groups[1].Value == "spans_total", $"{file} shows the spans a run sends");
                foreach (var count in counts)
                {
                    real.Should().ContainKey(count.Groups[1].Value, $"{file} shows a field the worker prints");
                    count.Groups[2].Value.Should().Be(real[count.Groups[1].Value], $"{file}: {count.Groups[1].Value} of a sample run {(inCluster ? "with the pod's environment" : "run locally")}");
                }

                shown++;
            }
        }

        shown.Should().BeGreaterThanOrEqualTo(2, "setup.md shows the WARN line of a local run and the guide's troubleshooting shows the pod's");
        whole.Should().BeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public void The_latency_histogram_in_setup_md_is_the_one_its_Step_12_records_make()
    {
        // Step 13 says its histogram comes from the same run as Step 12's log: the count, sum, min,
        // max and bucket must be what those records' latency_ms values give, in the debug exporter's
        // %f format, with the SDK's default bounds (0, 5, 10, 25, ... ms).
        var latencies = SetupGuide.PodRunLines.Where(l => l.Contains("\"Record processed\"", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("latency_ms").GetDouble()).ToList();
        latencies.Should().NotBeEmpty();

        var histogram = SetupGuide.Blocks().Where(b => b.Lines.Any(l => l.StartsWith("ExplicitBounds #", StringComparison.Ordinal))).Should().ContainSingle("setup.md shows one histogram").Subject.Lines;
        histogram.Should().Equal(HistogramGrep(latencies));

        // Its label names the latencies; the bounds the guide explains are these, and the exporter prints every bucket, empty ones included.
        var prose = Regex.Replace(SetupGuide.Text, @"\s+", " ");
        prose.Should().Contain($"same run as Step 12: {string.Join(" + ", latencies.Select(l => l.ToString(CultureInfo.InvariantCulture)))} ms");
        prose.Should().Contain($"{DefaultBounds.Length} bounds (the SDK's defaults: {string.Join(", ", DefaultBounds)} ms)")
            .And.Contain($"prints all {DefaultBounds.Length + 1}, empty ones included");

        // grep -A N after "Name: record_latency_ms" must reach the last bucket: the debug exporter's
        // layout (pdata's otlptext, a histogram without point attributes) prints, after the name,
        // Description, Unit, DataType, AggregationTemporality, "HistogramDataPoints #0", StartTimestamp,
        // Timestamp, Count, Sum, Min, Max, one line per bound and one per bucket (bounds + 1).
        var after = 4 + 1 + 6 + DefaultBounds.Length + (DefaultBounds.Length + 1);
        var grep = GrepAfter().Match(SetupGuide.Text);
        grep.Success.Should().BeTrue("Step 13 greps the histogram");
        int.Parse(grep.Groups[1].Value, CultureInfo.InvariantCulture).Should().Be(after, "the last bucket is that many lines after the name");
        prose.Should().Contain($"`-A {after}` reaches the last");
    }

    [Fact]
    public void The_cost_check_recomputes_Step_12s_first_record()
    {
        var line = SetupGuide.PodRunLines.First(l => l.Contains("\"Record processed\"", StringComparison.Ordinal));
        var latency = JsonDocument.Parse(line).RootElement.GetProperty("latency_ms").GetDouble();
        var seconds = (decimal)latency / 1000;
        var usd = 0.0225m * seconds / 3600; // 0.5 cores x 0.04 + 0.5 GiB x 0.005 USD an hour, in decimal: what the reader computes
        var printed = CostText().Match(line).Groups[1].Value;
        double.Parse(printed, CultureInfo.InvariantCulture).Should().BeApproximately((double)usd, (double)usd * 1e-12);
        var check = CostCheck().Match(Regex.Replace(SetupGuide.Text, @"\s+", " "));
        check.Success.Should().BeTrue("Cost analysis checks a real line");
        check.Groups.Values.Skip(1).Select(g => g.Value).Should().Equal(
            latency.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture), JqNumber.Format((double)usd), printed);
    }

    /// <summary>The SDK's default histogram bounds, ms.</summary>
    private static readonly double[] DefaultBounds = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    /// <summary>
    /// What Step 13's histogram grep prints for these latencies: count, sum, min and max in the debug exporter's
    /// %f, the first three bounds, and every non-empty bucket (bucket #i: above bound #i-1, at most bound #i).
    /// </summary>
    internal static List<string> HistogramGrep(IReadOnlyList<double> latencies)
    {
        static string F(double value) => value.ToString("F6", CultureInfo.InvariantCulture);
        var buckets = latencies.GroupBy(l => DefaultBounds.Count(b => l > b)).OrderBy(g => g.Key).Select(g => $"Buckets #{g.Key}, Count: {g.Count()}");
        return [$"Count: {latencies.Count}", $"Sum: {F(latencies.Sum())}", $"Min: {F(latencies.Min())}", $"Max: {F(latencies.Max())}",
            .. DefaultBounds.Take(3).Select((b, i) => $"ExplicitBounds #{i}: {F(b)}"), .. buckets];
    }

    /// <summary>The integer delivery counts of the WARN line of a sample run whose collector is down.</summary>
    private static async Task<(Dictionary<string, string> Counts, string Line)> WarnOfAsync(Dictionary<string, string?> environment, IEnumerable<string>? args = null)
    {
        // Nothing listens on port 9, and a short flush bound keeps the run quick.
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9";
        environment["TELEMETRY_FLUSH_TIMEOUT_MS"] = "500";
        var run = await PublishedWorker.RunAsync(environment, args);
        run.ExitCode.Should().Be(0, run.ToString());
        var warn = run.StdoutLines.Single(l => l.Contains("\"Telemetry not fully delivered\"", StringComparison.Ordinal));
        return (DeliveryCount().Matches(warn).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal), warn);
    }

    [GeneratedRegex(@"record 1 in Step 12 took (\S+) ms, and 0\.0225 x (\S+) / 3600 = (\S+), the `cost_usd` it printed \((\S+) in binary\)")]
    private static partial Regex CostCheck();

    [GeneratedRegex("\"cost_usd\":([^,]+),")]
    private static partial Regex CostText();

    [GeneratedRegex("grep -A (\\d+) \"Name: record_latency_ms\"")]
    private static partial Regex GrepAfter();

    [GeneratedRegex("--filter \"FullyQualifiedName~([^\"]+)\"")]
    private static partial Regex FilterText();

    [GeneratedRegex(@"Failed:\s+0, Passed:\s+(?<passed>\d+), Skipped:\s+0, Total:\s+(?<total>\d+),")]
    private static partial Regex Summary();

    [GeneratedRegex(@"^Passed!  - Failed:     0, Passed:   \.\.\., Skipped:     0, Total:   \.\.\., Duration: \.\.\. - BatchJob\.Tests\.dll \(net10\.0\)$")]
    private static partial Regex WholeSuite();

    [GeneratedRegex("\"([a-z]+_(?:total|lost|dropped))\":(\\d+)")]
    private static partial Regex DeliveryCount();
}
