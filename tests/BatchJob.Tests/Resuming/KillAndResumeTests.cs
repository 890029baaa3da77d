using System.Diagnostics;
using System.Text.RegularExpressions;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Resuming;

/// <summary>
/// RESUME the hard way: the published worker is SIGKILLed at random points of a large input
/// (after a random number of checkpoints and a random few milliseconds more, so kills land between
/// records, mid-write and mid-checkpoint), restarted until it exits 0, and its predictions and
/// rejects files must be byte for byte those of one uninterrupted run. No timing is asserted:
/// a slow machine only moves where the kills land.
/// </summary>
public sealed partial class KillAndResumeTests
{
    private const int Records = 200_000;
    private static readonly TimeSpan Ceiling = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Killed_runs_resume_to_files_identical_to_an_uninterrupted_run()
    {
        var input = ResumeInput.Write(Records, seed: 23);
        var expected = await UninterruptedAsync(input, shards: null);

        var (folder, resumed) = await KilledUntilDoneAsync(input, shards: null, new Random(230), kills: 5);

        resumed.Should().BeGreaterThan(0, "at least one restart must have continued from a checkpoint");
        AssertSameFiles(expected, folder, ["predictions.jsonl", "rejects.jsonl"]);
    }

    [Fact]
    public async Task Killed_shards_of_an_indexed_job_each_resume_to_their_uninterrupted_files()
    {
        var input = ResumeInput.Write(Records, seed: 24);
        var expected = await UninterruptedAsync(input, shards: 2);

        var random = new Random(240);
        foreach (var index in new[] { 0, 1 })
        {
            var (folder, resumed) = await KilledUntilDoneAsync(input, shards: (index, 2), random, kills: 3);
            resumed.Should().BeGreaterThan(0);
            AssertSameFiles(expected, folder, [$"predictions-{index}.jsonl", $"rejects-{index}.jsonl"]);
        }
    }

    [Fact]
    public async Task An_input_changed_in_the_processed_part_starts_over_with_a_warning_never_a_wrong_resume()
    {
        var input = ResumeInput.Write(Records, seed: 25);
        var folder = Directory.CreateTempSubdirectory("batchjob-resume-out-").FullName;
        // One checkpoint is enough to have a processed prefix to change; waiting to see more raced a
        // worker that, on a loaded machine, finished (and removed its checkpoint) between two polls.
        await KillAfterCheckpointsAsync(Environment(input, folder, shards: null, resume: true), folder, checkpoints: 1);
        var checkpoint = File.ReadAllText(Path.Combine(folder, "predictions.jsonl.checkpoint"));
        var offset = long.Parse(OffsetField().Match(checkpoint).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        // One digit of a record well inside the processed prefix, same size, modification time put back.
        var modified = File.GetLastWriteTimeUtc(input);
        var bytes = File.ReadAllBytes(input);
        var at = Array.IndexOf(bytes, (byte)'5', (int)(offset / 2));
        at.Should().BePositive().And.BeLessThan((int)offset);
        bytes[at] = (byte)'6';
        File.WriteAllBytes(input, bytes);
        File.SetLastWriteTimeUtc(input, modified);

        var run = await PublishedWorker.RunAsync(Environment(input, folder, shards: null, resume: true), timeout: Ceiling);

        run.ExitCode.Should().Be(0, run.ToString());
        run.WithMessage("Resuming batch").Should().BeEmpty();
        run.WithMessage("Checkpoint not used").Should().ContainSingle().Which.GetProperty("reason").GetString().Should().Contain("SHA-256");
        run.Summary.GetProperty("resumed_from_line").GetInt64().Should().Be(0);
        var expected = await UninterruptedAsync(input, shards: null);
        AssertSameFiles(expected, folder, ["predictions.jsonl", "rejects.jsonl"]);
    }

    private static async Task<string> UninterruptedAsync(string input, int? shards)
    {
        var folder = Directory.CreateTempSubdirectory("batchjob-resume-ref-").FullName;
        foreach (var index in Enumerable.Range(0, shards ?? 1))
        {
            var run = await PublishedWorker.RunAsync(Environment(input, folder, shards is { } n ? (index, n) : null, resume: false), timeout: Ceiling);
            run.ExitCode.Should().Be(0, run.ToString());
        }

        return folder;
    }

    /// <returns>The output folder, and how many restarts continued from a checkpoint.</returns>
    private static async Task<(string Folder, int Resumed)> KilledUntilDoneAsync(string input, (int, int)? shards, Random random, int kills)
    {
        var folder = Directory.CreateTempSubdirectory("batchjob-resume-out-").FullName;
        var env = Environment(input, folder, shards, resume: true);
        var checkpointName = shards is { } s ? $"predictions-{s.Item1}.jsonl.checkpoint" : "predictions.jsonl.checkpoint";
        var resumed = 0;
        for (var attempt = 0; ; attempt++)
        {
            if (attempt < kills)
            {
                var lines = await KillAfterCheckpointsAsync(env, folder, random.Next(1, 40), random.Next(0, 4), checkpointName);
                resumed += lines.Count(l => l.Contains("\"Resuming batch\"", StringComparison.Ordinal));
                continue;
            }

            var run = await PublishedWorker.RunAsync(env, timeout: Ceiling);
            run.ExitCode.Should().Be(0, run.ToString());
            resumed += run.WithMessage("Resuming batch").Count();
            Directory.EnumerateFiles(folder, "*.checkpoint*").Should().BeEmpty("a finished run leaves no checkpoint");
            Directory.EnumerateFiles(folder, "*.partial").Should().BeEmpty();
            return (folder, resumed);
        }
    }

    /// <summary>Starts the worker and SIGKILLs it once <paramref name="checkpoints"/> new checkpoints were seen and <paramref name="extraMs"/> more passed (sooner if it exits).</summary>
    /// <returns>Its stdout lines.</returns>
    private static async Task<List<string>> KillAfterCheckpointsAsync(IReadOnlyDictionary<string, string?> env, string folder, int checkpoints, int extraMs = 0, string checkpointName = "predictions.jsonl.checkpoint")
    {
        _ = PublishedWorker.Executable;
        using var worker = PublishedWorker.Start(env);
        var stdout = worker.StandardOutput.ReadToEndAsync();
        var stderr = worker.StandardError.ReadToEndAsync();
        var path = Path.Combine(folder, checkpointName);
        var clock = Stopwatch.StartNew();
        string? last = Read(path);
        for (var seen = 0; seen < checkpoints && !worker.HasExited && clock.Elapsed < Ceiling;)
        {
            if (Read(path) is { } now && now != last)
            {
                (last, seen) = (now, seen + 1);
            }
            else
            {
                await Task.Delay(1);
            }
        }

        await Task.Delay(extraMs);
        if (!worker.HasExited)
        {
            worker.Kill(); // SIGKILL on Linux
        }

        await worker.WaitForExitAsync();
        await stderr;
        return [.. (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static Dictionary<string, string?> Environment(string input, string folder, (int Index, int Count)? shards, bool resume)
    {
        var env = new Dictionary<string, string?>
        {
            ["INPUT_PATH"] = input,
            ["OUTPUT_PATH"] = Path.Combine(folder, shards is null ? "predictions.jsonl" : "predictions-{shard}.jsonl"),
            ["REJECTS_PATH"] = Path.Combine(folder, shards is null ? "rejects.jsonl" : "rejects-{shard}.jsonl"),
            ["RESUME"] = resume ? "true" : "false",
            ["BATCH_SIZE"] = "1000",
            // Every batch: the kills must land between, during and after many checkpoints.
            ["CHECKPOINT_INTERVAL_SECONDS"] = "0",
            ["MAX_LINE_BYTES"] = ResumeInput.MaxLineBytes,
            ["MAX_FAILED_RATIO"] = "1",
            ["LOG_RECORDS"] = "false",
            ["ENABLE_TELEMETRY"] = "false",
        };
        if (shards is { } s)
        {
            env["SHARD_COUNT"] = s.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            env["JOB_COMPLETION_INDEX"] = s.Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return env;
    }

    private static void AssertSameFiles(string expectedFolder, string actualFolder, string[] names)
    {
        foreach (var name in names)
        {
            var expected = File.ReadAllBytes(Path.Combine(expectedFolder, name));
            var actual = File.ReadAllBytes(Path.Combine(actualFolder, name));
            expected.Should().NotBeEmpty();
            // Not BeEquivalentTo on megabytes: find the first difference and show it.
            var first = expected.AsSpan().CommonPrefixLength(actual);
            (first == expected.Length && actual.Length == expected.Length).Should().BeTrue(
                $"{name} must be byte-identical to the uninterrupted run's; first difference at byte {first} of {expected.Length} (actual {actual.Length})");
        }
    }

    [GeneratedRegex("\"offset\":([0-9]+)")]
    private static partial Regex OffsetField();
}
