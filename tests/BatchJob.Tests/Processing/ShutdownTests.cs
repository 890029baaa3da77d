using System.Text.Json;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Processing;

/// <summary>SIGTERM as Kubernetes sends it: the worker stops reading, finishes the record in hand, flushes, reports, exits 143.</summary>
public sealed class ShutdownTests
{
    private const int Records = 5000;

    [Fact]
    public async Task Sigterm_stops_cleanly_with_an_interrupted_summary_and_a_whole_output_file()
    {
        var input = InProcessRun.TempInput(string.Concat(Enumerable.Range(1, Records).Select(i => $"{{\"id\": {i}, \"features\": [{i}, 1]}}\n")));
        var output = Path.Combine(Path.GetDirectoryName(input)!, "predictions.jsonl");
        var (run, signalled) = await PublishedWorker.TerminateMidBatchAsync(new Dictionary<string, string?>
        {
            ["INPUT_PATH"] = input,
            ["OUTPUT_PATH"] = output,
            // 20 ms of CPU per record: 100 s for the file, so the signal lands mid-batch and a
            // worker that ignored it would still be running long after the hang bound below.
            ["CPU_BURN_MS"] = "20",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9",
            ["TELEMETRY_FLUSH_TIMEOUT_MS"] = "1000",
        });

        run.ExitCode.Should().Be(143, run.ToString());
        // Only a hang check. The lab contract's "within 5 s" is for a pod with its CPU; here the
        // worker needs the record in hand (20 ms) plus at most the 1 s flush bound, about a
        // second, but a cold process on a loaded test machine can take several times that. A
        // worker that ignored the signal would run on for the rest of its 100 s file.
        (run.Elapsed - signalled).Should().BeLessThan(TimeSpan.FromSeconds(30), "the worker stops soon after SIGTERM; " + run);
        var summary = run.Summary;
        summary.GetProperty("interrupted").GetBoolean().Should().BeTrue();
        var processed = run.WithMessage("Record processed").Select(r => r.GetProperty("id").GetInt64()).ToList();
        processed.Should().NotBeEmpty().And.HaveCountLessThan(Records);
        summary.GetProperty("successful").GetInt64().Should().Be(processed.Count);
        run.WithMessage("Batch job interrupted").Should().ContainSingle();

        // The output file is whole: exactly the processed records, then the summary marked interrupted.
        var written = File.ReadAllLines(output);
        written[..^1].Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetInt64()).Should().Equal(processed);
        var fileSummary = JsonDocument.Parse(written[^1]).RootElement.GetProperty("summary");
        fileSummary.GetProperty("records").GetInt64().Should().Be(processed.Count);
        fileSummary.GetProperty("avg_prediction").GetDouble().Should().Be(processed.Average(i => i + 1.0));
        fileSummary.GetProperty("interrupted").GetBoolean().Should().BeTrue();
        Directory.GetFiles(Path.GetDirectoryName(output)!, "*.tmp").Should().BeEmpty();
    }
}
