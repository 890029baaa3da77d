using System.Globalization;
using System.Text.Json;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Output;

/// <summary>OUTPUT_PATH with real worker processes.</summary>
public sealed class OutputRunTests
{
    [Theory]
    [InlineData("predictions-{shard}.jsonl")]
    [InlineData("{shard}/predictions.jsonl")]
    public async Task Shards_started_together_never_collide(string template)
    {
        const int Shards = 5;
        var input = InProcessRun.TempInput(string.Concat(Enumerable.Range(1, 50).Select(i => $"{{\"id\": {i}, \"features\": [{i}]}}\n")));
        for (var trial = 0; trial < 3; trial++)
        {
            var dir = Directory.CreateTempSubdirectory("batchjob-shards-").FullName;
            var runs = await Task.WhenAll(Enumerable.Range(0, Shards).Select(index => PublishedWorker.RunAsync(new Dictionary<string, string?>
            {
                ["INPUT_PATH"] = input,
                ["OUTPUT_PATH"] = Path.Combine(dir, template),
                ["SHARD_COUNT"] = Shards.ToString(CultureInfo.InvariantCulture),
                ["JOB_COMPLETION_INDEX"] = index.ToString(CultureInfo.InvariantCulture),
                ["LOG_RECORDS"] = "false",
                ["ENABLE_TELEMETRY"] = "false",
            })));

            for (var index = 0; index < Shards; index++)
            {
                runs[index].ExitCode.Should().Be(0, $"trial {trial}, shard {index}: {runs[index]}");
                var file = Path.Combine(dir, template.Replace("{shard}", index.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
                var summary = JsonDocument.Parse(File.ReadAllLines(file)[^1]).RootElement.GetProperty("summary");
                summary.GetProperty("shard_index").GetInt32().Should().Be(index);
                summary.GetProperty("records").GetInt64().Should().Be(10);
            }
        }
    }
}
