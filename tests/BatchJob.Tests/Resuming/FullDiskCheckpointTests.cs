using BatchJob.Tests.Support;

namespace BatchJob.Tests.Resuming;

/// <summary>
/// A disk that fills up in the middle of writing a checkpoint: a tmpfs with room for the partial
/// files and one checkpoint but no further file (nr_inodes: creating the next checkpoint's
/// temporary file fails with ENOSPC, exactly as a full disk does). The run stops with exit 2 and
/// the previous checkpoint intact; once there is room, the next run resumes from it and ends with
/// the files an uninterrupted run writes.
/// </summary>
[Collection(WorkerSourceListeners.Name)]
public sealed class FullDiskCheckpointTests
{
    [SkippableFact]
    public void A_checkpoint_refused_by_a_full_disk_leaves_the_previous_one_to_resume_from()
    {
        var input = ResumeInput.Write(20_000, seed: 26);
        var reference = Directory.CreateTempSubdirectory("batchjob-full-ref-").FullName;
        Run(input, reference).Code.Should().Be(ExitCode.Success);

        // The root folder, the two partial files and one checkpoint: the second checkpoint's temporary file has no inode left.
        using var volume = SmallVolume.Mount("size=64m,nr_inodes=4");
        var full = Run(input, volume.Path);

        full.Code.Should().Be(ExitCode.InvalidConfiguration);
        full.Lines.WithMessage("Output not writable").Should().ContainSingle().Which.GetProperty("error").GetString()
            .Should().Contain("checkpoint").And.Contain("No space left on device");
        File.Exists(Path.Combine(volume.Path, "predictions.jsonl.checkpoint")).Should().BeTrue("the first checkpoint stands");
        File.Exists(Path.Combine(volume.Path, "predictions.jsonl")).Should().BeFalse("nothing is published unfinished");

        volume.Remount("nr_inodes=64");
        var resumed = Run(input, volume.Path);

        resumed.Code.Should().Be(ExitCode.Success, resumed.Stdout);
        resumed.Lines.WithMessage("Resuming batch").Should().ContainSingle().Which.GetProperty("resumed_from_line").GetInt64().Should().BePositive();
        foreach (var name in new[] { "predictions.jsonl", "rejects.jsonl" })
        {
            File.ReadAllBytes(Path.Combine(volume.Path, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(reference, name)))
                .Should().BeTrue($"{name} must equal the uninterrupted run's");
        }

        Directory.EnumerateFiles(volume.Path).Select(Path.GetFileName).Should().BeEquivalentTo(["predictions.jsonl", "rejects.jsonl"]);
    }

    private static (ExitCode Code, IReadOnlyList<System.Text.Json.JsonElement> Lines, string Stdout) Run(string input, string folder) =>
        InProcessRun.Run(new Dictionary<string, string?>
        {
            ["INPUT_PATH"] = input,
            ["OUTPUT_PATH"] = Path.Combine(folder, "predictions.jsonl"),
            ["REJECTS_PATH"] = Path.Combine(folder, "rejects.jsonl"),
            ["RESUME"] = "true",
            ["BATCH_SIZE"] = "1000",
            ["CHECKPOINT_INTERVAL_SECONDS"] = "0",
            ["MAX_LINE_BYTES"] = ResumeInput.MaxLineBytes,
            ["MAX_FAILED_RATIO"] = "1",
            ["LOG_RECORDS"] = "false",
        });
}
