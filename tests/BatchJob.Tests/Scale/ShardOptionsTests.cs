using BatchJob.Configuration;

namespace BatchJob.Tests.Scale;

public sealed class ShardOptionsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    public void Every_ordinal_belongs_to_exactly_one_shard(int count)
    {
        var shards = Enumerable.Range(0, count).Select(i => new ShardOptions(i, count)).ToList();
        for (long ordinal = 0; ordinal < 1000; ordinal++)
        {
            shards.Count(s => s.Owns(ordinal)).Should().Be(1, $"ordinal {ordinal} with {count} shards");
        }
    }

    [Theory]
    [InlineData("/data/pred-{shard}.jsonl", 2, 3, "/data/pred-2.jsonl")]
    [InlineData("/data/{shard}/pred.jsonl", 0, 3, "/data/0/pred.jsonl")]
    [InlineData("/data/pred.jsonl", 1, 3, "/data/pred-shard-1.jsonl")]
    [InlineData("/data/pred", 4, 5, "/data/pred-shard-4")]
    [InlineData("/data/pred.jsonl", 0, 1, "/data/pred.jsonl")]
    public void Each_shard_gets_its_own_output_file(string path, int index, int count, string expected) =>
        new ShardOptions(index, count).OutputPathFor(path).Should().Be(expected);

    [Theory]
    [InlineData("/data/pred.jsonl", "/data")]
    [InlineData("/data/pred-{shard}.jsonl", "/data")]
    [InlineData("/data/{shard}/pred.jsonl", "/data")]
    [InlineData("/data/run-{shard}/day/pred.jsonl", "/data")]
    [InlineData("/{shard}/pred.jsonl", "/")]
    public void The_shared_folder_is_the_deepest_one_above_any_placeholder(string path, string expected) =>
        ShardOptions.SharedFolder(path).Should().Be(expected);
}
