using System.Globalization;
using System.Text;
using System.Text.Json;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Scale;

/// <summary>
/// The Indexed Job's promise, with real processes: N published workers, each given its
/// JOB_COMPLETION_INDEX and SHARD_COUNT as Kubernetes would, together predict every record
/// exactly once, whatever N.
/// </summary>
public sealed class ShardedRunTests
{
    private const int Records = 1000;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public async Task N_shards_predict_every_record_exactly_once(int shards)
    {
        var dir = Directory.CreateTempSubdirectory("batchjob-shards-").FullName;
        var input = Path.Combine(dir, "input.jsonl");
        var expected = WriteInput(input);

        var runs = await Task.WhenAll(Enumerable.Range(0, shards).Select(index => PublishedWorker.RunAsync(new Dictionary<string, string?>
        {
            ["INPUT_PATH"] = input,
            ["OUTPUT_PATH"] = Path.Combine(dir, "predictions-{shard}.jsonl"),
            ["SHARD_COUNT"] = shards.ToString(CultureInfo.InvariantCulture),
            ["JOB_COMPLETION_INDEX"] = shards == 1 ? null : index.ToString(CultureInfo.InvariantCulture),
            ["LOG_RECORDS"] = "false",
            ["ENABLE_TELEMETRY"] = "false",
        })));

        var predictions = new List<(long Id, double Prediction)>();
        long summarized = 0;
        for (var index = 0; index < shards; index++)
        {
            var run = runs[index];
            run.ExitCode.Should().Be(0, run.ToString());
            var summary = run.Summary;
            if (shards > 1)
            {
                summary.GetProperty("shard_index").GetInt32().Should().Be(index);
                summary.GetProperty("shard_count").GetInt32().Should().Be(shards);
            }

            var lines = File.ReadAllLines(Path.Combine(dir, $"predictions-{index}.jsonl"));
            var last = JsonDocument.Parse(lines[^1]).RootElement.GetProperty("summary");
            summarized += last.GetProperty("records").GetInt64();
            foreach (var line in lines[..^1])
            {
                var record = JsonDocument.Parse(line).RootElement;
                predictions.Add((record.GetProperty("id").GetInt64(), record.GetProperty("prediction").GetDouble()));
            }
        }

        predictions.Select(p => p.Id).Should().OnlyHaveUniqueItems().And.HaveCount(Records);
        predictions.OrderBy(p => p.Id).Should().Equal(expected.OrderBy(p => p.Id));
        summarized.Should().Be(Records);
        runs.Sum(r => r.Summary.GetProperty("failed").GetInt64()).Should().Be(1, "the one bad line fails once, in one shard");
        runs.Sum(r => r.Summary.GetProperty("blank_lines").GetInt64()).Should().Be(2, "blank lines are counted once, by shard 0");
    }

    [Theory]
    [InlineData("3", null)]
    [InlineData("3", "3")]
    [InlineData("1", "2")]
    [InlineData("2", "-1")]
    public async Task A_shard_setting_that_would_lose_or_duplicate_records_stops_the_run(string count, string? index)
    {
        var run = await PublishedWorker.RunAsync(new Dictionary<string, string?>
        {
            ["SHARD_COUNT"] = count,
            ["JOB_COMPLETION_INDEX"] = index,
            ["ENABLE_TELEMETRY"] = "false",
        });

        run.ExitCode.Should().Be((int)ExitCode.InvalidConfiguration, run.ToString());
        run.StdoutLines.Should().Contain(l => l.Contains("JOB_COMPLETION_INDEX", StringComparison.Ordinal));
    }

    /// <summary>Writes records with ids 1..Records (3-8 features), two blank lines and one bad line; returns the expected predictions.</summary>
    private static List<(long Id, double Prediction)> WriteInput(string path)
    {
        var random = new Random(7);
        var expected = new List<(long, double)>();
        var text = new StringBuilder();
        for (var id = 1; id <= Records; id++)
        {
            var features = Enumerable.Range(0, random.Next(3, 9)).Select(_ => Math.Round((random.NextDouble() * 200) - 100, 3)).ToList();
            var sum = 0.0;
            foreach (var feature in features)
            {
                sum += feature;
            }

            expected.Add((id, sum));
            text.Append(CultureInfo.InvariantCulture, $"{{\"id\": {id}, \"features\": [{string.Join(", ", features.Select(f => f.ToString("R", CultureInfo.InvariantCulture)))}]}}\n");
            if (id is 10 or 500)
            {
                text.Append('\n');
            }

            if (id == 700)
            {
                text.Append("{\"id\": \"broken\", \"features\": [1.0,\n");
            }
        }

        File.WriteAllText(path, text.ToString());
        return expected;
    }
}
