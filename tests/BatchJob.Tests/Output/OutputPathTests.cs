using System.Globalization;
using BatchJob.Configuration;
using BatchJob.Tests.Configuration;

namespace BatchJob.Tests.Output;

/// <summary>
/// OUTPUT_PATH is checked at start, for the file this process will really write: concurrent runs
/// and shards never trip over each other's check, and the check touches nothing that is not its own.
/// </summary>
public sealed class OutputPathTests
{
    [Fact]
    public void Sixteen_runs_checking_one_plain_path_at_once_all_accept_it()
    {
        var dir = NewFolder();
        var path = Path.Combine(dir, "predictions.jsonl");

        var errors = Concurrently(16, rounds: 20, _ => new Dictionary<string, string?> { ["OUTPUT_PATH"] = path });

        errors.Should().BeEmpty();
        Directory.GetFileSystemEntries(dir).Should().BeEmpty("every check removes its own probe");
    }

    [Fact]
    public void Five_shards_checking_one_template_at_once_each_get_their_own_file()
    {
        var template = Path.Combine(NewFolder(), "predictions-{shard}.jsonl");

        var errors = Concurrently(5, rounds: 40, index => Shard(template, index, 5));

        errors.Should().BeEmpty();
        TestConfig.Read(Shard(template, 3, 5)).OutputPath.Should().Be(template.Replace("{shard}", "3", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_named_like_the_old_probe_is_left_alone()
    {
        var path = Path.Combine(NewFolder(), "predictions.jsonl");
        File.WriteAllText(path + ".probe", "someone's data");

        TestConfig.Read(new Dictionary<string, string?> { ["OUTPUT_PATH"] = path });

        File.ReadAllText(path + ".probe").Should().Be("someone's data");
    }

    [Fact]
    public void Shard_in_a_folder_name_gives_each_shard_its_own_folder_created_under_the_shared_one()
    {
        var dir = NewFolder();

        var options = TestConfig.Read(Shard(Path.Combine(dir, "run-{shard}", "predictions.jsonl"), 1, 3));

        options.OutputPath.Should().Be(Path.Combine(dir, "run-1", "predictions.jsonl"));
        Directory.GetDirectories(dir).Should().Equal(Path.Combine(dir, "run-1"));
        Directory.GetFiles(Path.Combine(dir, "run-1")).Should().BeEmpty("the check leaves nothing behind");
    }

    [Fact]
    public void A_missing_shared_folder_is_named_and_not_created()
    {
        var missing = Path.Combine(NewFolder(), "typo");
        var template = Path.Combine(missing, "{shard}", "predictions.jsonl");

        TestConfig.Errors(Shard(template, 0, 2)).Should().ContainSingle().Which.Should().Be(
            $"OUTPUT_PATH='{template}' is not valid: expected a file path in a writable folder ('{missing}' does not exist; only folders named with {{shard}} are created).");
        Directory.Exists(missing).Should().BeFalse();
    }

    /// <summary>Calls the options reader from <paramref name="parallel"/> threads released together, <paramref name="rounds"/> times; returns every error.</summary>
    private static List<string> Concurrently(int parallel, int rounds, Func<int, Dictionary<string, string?>> environment)
    {
        var errors = new List<string>();
        using var barrier = new Barrier(parallel);
        var threads = Enumerable.Range(0, parallel).Select(index => new Thread(() =>
        {
            for (var round = 0; round < rounds; round++)
            {
                barrier.SignalAndWait();
                try
                {
                    TestConfig.Read(environment(index));
                }
                catch (ConfigurationException e)
                {
                    lock (errors)
                    {
                        errors.AddRange(e.Errors);
                    }
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return errors;
    }

    private static Dictionary<string, string?> Shard(string template, int index, int count) => new()
    {
        ["OUTPUT_PATH"] = template,
        ["SHARD_COUNT"] = count.ToString(CultureInfo.InvariantCulture),
        ["JOB_COMPLETION_INDEX"] = index.ToString(CultureInfo.InvariantCulture),
    };

    private static string NewFolder() => Directory.CreateTempSubdirectory("batchjob-output-").FullName;
}
