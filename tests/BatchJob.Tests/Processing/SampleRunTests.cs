using System.Globalization;
using System.Text.RegularExpressions;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Processing;

/// <summary>The "done when": the published worker on the bundled sample, collector unreachable.</summary>
public sealed partial class SampleRunTests
{
    [Fact]
    public async Task Sample_run_with_no_collector_prints_the_contract_lines_and_exits_0()
    {
        var run = await PublishedWorker.RunAsync(new Dictionary<string, string?>
        {
            // Nothing listens on port 9 (discard): the export fails at once, as with no collector.
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9",
            ["TELEMETRY_FLUSH_TIMEOUT_MS"] = "2000",
        });

        run.ExitCode.Should().Be(0, run.ToString());
        // Only a hang check: the flush is bounded at 2 s (OtlpFailureModeTests shows the bound
        // holds); what varies on a loaded machine is a cold process's start, not the behaviour.
        run.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), run.ToString());
        var messages = run.Lines.Select(l => l.GetProperty("message").GetString()).ToList();
        messages.Take(2).Should().Equal("Initializing OpenTelemetry", "Starting batch inference job");

        var records = run.WithMessage("Record processed").ToList();
        records.Select(r => r.GetProperty("id").GetInt64()).Should().Equal(1, 2);
        run.StdoutLines.Where(l => l.Contains("Record processed", StringComparison.Ordinal))
            .Select(l => PredictionText().Match(l).Groups[1].Value).Should().Equal("6.0", "15.0");
        foreach (var record in records)
        {
            record.GetProperty("trace_id").GetString().Should().MatchRegex("^[0-9a-f]{32}$");
            record.GetProperty("span_id").GetString().Should().MatchRegex("^[0-9a-f]{16}$");
            var latencyMs = record.GetProperty("latency_ms").GetDouble();
            latencyMs.Should().BePositive();
            var expectedCost = ((0.5 * 0.04) + (0.5 * 0.005)) * (latencyMs / 1000) / 3600;
            record.GetProperty("cost_usd").GetDouble().Should().BeApproximately(expectedCost, expectedCost * 1e-12);
        }

        var summary = run.Summary;
        summary.GetProperty("successful").GetInt64().Should().Be(2);
        summary.GetProperty("failed").GetInt64().Should().Be(0);
        summary.GetProperty("avg_prediction").GetDouble().Should().Be(10.5);
        run.WithMessage("Telemetry not fully delivered").Should().ContainSingle()
            .Which.GetProperty("level").GetString().Should().Be("WARN");
        run.Lines.Count(l => l.GetProperty("level").GetString() == "WARN").Should().Be(1, run.ToString());
    }

    [GeneratedRegex("\"prediction\":([0-9.eE+-]+)")]
    private static partial Regex PredictionText();
}
