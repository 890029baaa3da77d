using BatchJob.Input;
using BatchJob.Output;

namespace BatchJob.Tests.Output;

public sealed class PredictionWriterTests
{
    [Fact]
    public void Abandoned_temp_files_are_removed_and_a_live_runs_file_and_other_files_are_kept()
    {
        var dir = Directory.CreateTempSubdirectory("batchjob-writer-").FullName;
        var path = Path.Combine(dir, "predictions.jsonl");
        // Left by killed runs (the kernel dropped their locks): this version's names and the older <path>.<pid>.tmp.
        string[] abandoned = [path + ".4242.0123456789abcdef.tmp", path + ".4243.tmp"];
        // Not ours to delete: someone's files that only look alike.
        string[] others = [path + ".tmp", path + ".backup.tmp", path + ".4244.probe", Path.Combine(dir, "other.jsonl.4245.tmp")];
        foreach (var file in abandoned.Concat(others))
        {
            File.WriteAllText(file, "partial");
        }

        // A live run's file: its writer holds the lock, as PredictionWriter does.
        var live = path + ".4246.fedcba9876543210.tmp";
        using (var held = new FileStream(live, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            using (var writer = new PredictionWriter(path))
            {
                writer.Publish(0, 0, interrupted: false);
            }

            File.Exists(live).Should().BeTrue("its writer is still running");
        }

        Directory.GetFiles(dir).Should().BeEquivalentTo([path, live, .. others]);
    }

    [Fact]
    public void Writers_starting_and_publishing_on_one_path_at_once_never_remove_each_others_files()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("batchjob-writers-").FullName, "predictions.jsonl");
        var failures = new List<Exception>();
        using var barrier = new Barrier(8);
        var threads = Enumerable.Range(0, 8).Select(_ => new Thread(() =>
        {
            for (var round = 0; round < 100; round++)
            {
                barrier.SignalAndWait();
                try
                {
                    using var writer = new PredictionWriter(path);
                    writer.Write(new RecordId(round, null), 1.5);
                    writer.Publish(1, 1.5, interrupted: false);
                }
                catch (OutputException e)
                {
                    lock (failures)
                    {
                        failures.Add(e);
                    }
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        failures.Should().BeEmpty();
        Directory.GetFiles(Path.GetDirectoryName(path)!).Should().Equal(path);
    }

    [Fact]
    public void A_full_device_fails_the_write_with_the_reason_and_dispose_still_removes_the_temp_file()
    {
        var dir = Directory.CreateTempSubdirectory("batchjob-full-").FullName;
        var path = Path.Combine(dir, "predictions.jsonl");
        var tempPath = path + ".1.0123456789abcdef.tmp";
        File.WriteAllText(tempPath, string.Empty);
        // /dev/full answers every write with ENOSPC, as a full disk does.
        var writer = new PredictionWriter(new AtomicFile(path, new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.None, 64 * 1024), tempPath));

        var write = () =>
        {
            for (var id = 0; id < 10_000; id++)
            {
                writer.Write(new RecordId(id, null), 1.5);
            }
        };

        write.Should().Throw<OutputException>().WithMessage($"cannot write '{path}': No space left on device*");
        writer.Invoking(w => w.Dispose()).Should().NotThrow("the buffered tail cannot be written either, and that must not hide the first error");
        File.Exists(tempPath).Should().BeFalse();
        File.Exists(path).Should().BeFalse();
    }
}
