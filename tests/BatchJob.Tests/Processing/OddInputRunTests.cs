using System.Text.Json;
using BatchJob.Tests.Input;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Processing;

/// <summary>
/// Every odd line of the parser's table in one input, through the whole worker (spans, log lines,
/// the predictions file): the batch runs to its last line and each line ends as exactly the record
/// or the failure the table says.
/// </summary>
[Collection(WorkerSourceListeners.Name)]
public sealed class OddInputRunTests
{
    [Fact]
    public void Every_odd_line_is_accounted_for_and_the_batch_goes_on_to_the_end()
    {
        var good = OddLines.Records.Select(row => ((byte[])row[1], (string?)row[2], (string?)null)).ToList();
        var bad = OddLines.Failures.Select(row => ((byte[])row[1], (string?)null, (string?)row[2])).ToList();
        // Interleaved, so failures are followed by records and the other way round.
        var expected = new List<(byte[] Line, string? Id, string? Reason)>();
        for (var i = 0; i < Math.Max(good.Count, bad.Count); i++)
        {
            expected.AddRange(good.Skip(i).Take(1));
            expected.AddRange(bad.Skip(i).Take(1));
        }

        expected.Add((OddLines.Utf8("""{"id": "last", "features": [1]}"""), "last", null));
        expected.Should().NotContain(e => e.Line.Contains((byte)'\n'));
        var input = InProcessRun.TempInput([0xEF, 0xBB, 0xBF, .. expected.SelectMany(e => (byte[])[.. e.Line, (byte)'\n'])]);
        var output = Path.Combine(Path.GetDirectoryName(input)!, "predictions.jsonl");

        var (code, lines, stdout) = InProcessRun.Run(new Dictionary<string, string?>
        {
            ["INPUT_PATH"] = input,
            ["OUTPUT_PATH"] = output,
            ["MAX_FAILED_RATIO"] = "1",
            // Spans are made and tagged with each id, exported nowhere.
            ["ENABLE_TELEMETRY"] = "true",
            ["OTEL_TRACES_EXPORTER"] = "none",
            ["OTEL_METRICS_EXPORTER"] = "none",
        });

        code.Should().Be(ExitCode.Success, stdout.Length > 4000 ? stdout[^4000..] : stdout);
        var records = expected.Where(e => e.Reason is null).ToList();
        var failures = expected.Select((e, index) => (Line: index + 1L, e.Reason)).Where(e => e.Reason is not null).ToList();

        lines.WithMessage("Record processed").Select(r => IdText(r.GetProperty("id"))).Should().Equal(records.Select(r => r.Id));
        var failed = lines.WithMessage("Record failed").ToList();
        failed.Select(f => f.GetProperty("line").GetInt64()).Should().Equal(failures.Select(f => f.Line));
        foreach (var (line, (number, reason)) in failed.Zip(failures))
        {
            line.GetProperty("error").GetString().Should().Match(reason, $"line {number}");
        }

        var summary = lines.WithMessage("Batch job completed").Single().GetProperty("summary");
        summary.GetProperty("total_records").GetInt64().Should().Be(expected.Count);
        summary.GetProperty("successful").GetInt64().Should().Be(records.Count);
        summary.GetProperty("failed").GetInt64().Should().Be(failures.Count);
        summary.GetProperty("blank_lines").GetInt64().Should().Be(0);

        var written = File.ReadAllLines(output);
        written[..^1].Select(l => IdText(JsonDocument.Parse(l).RootElement.GetProperty("id"))).Should().Equal(records.Select(r => r.Id));
    }

    private static string IdText(JsonElement id) => id.ValueKind == JsonValueKind.Number ? id.GetRawText() : id.GetString()!;
}
