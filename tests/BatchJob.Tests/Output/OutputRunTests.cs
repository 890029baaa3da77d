using System.Globalization;
using System.Text.Json;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Output;

/// <summary>OUTPUT_PATH with real worker processes: shards and runs started together, a file mounted onto the target, a write the file system refuses, a run killed mid-batch.</summary>
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

    [Fact]
    public async Task Sixteen_runs_started_together_on_one_path_all_succeed_and_leave_one_whole_file()
    {
        var input = InProcessRun.TempInput(string.Concat(Enumerable.Range(1, 50).Select(i => $"{{\"id\": {i}, \"features\": [{i}]}}\n")));
        var dir = Directory.CreateTempSubdirectory("batchjob-same-path-").FullName;
        var output = Path.Combine(dir, "predictions.jsonl");

        var runs = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => PublishedWorker.RunAsync(new Dictionary<string, string?>
        {
            ["INPUT_PATH"] = input,
            ["OUTPUT_PATH"] = output,
            ["LOG_RECORDS"] = "false",
            ["ENABLE_TELEMETRY"] = "false",
        })));

        runs.Should().OnlyContain(r => r.ExitCode == 0, string.Join('\n', runs.Where(r => r.ExitCode != 0)));
        Directory.GetFileSystemEntries(dir).Should().Equal(output);
        File.ReadLines(output).Should().HaveCount(51, "the last rename wins, and every run wrote the whole file");
    }

    /// <summary>
    /// A write the file system refuses mid-batch. The file size limit (ulimit -f) makes the kernel
    /// refuse it as a full disk would, for root too, with no mount needed; the worker ignores SIGXFSZ
    /// so the write fails instead of the process dying. (ENOSPC itself: PredictionWriterTests, /dev/full.)
    /// </summary>
    [Fact]
    public async Task A_refused_write_exits_2_with_one_error_line_leaves_no_temp_file_and_a_retry_succeeds()
    {
        var input = InProcessRun.TempInput(string.Concat(Enumerable.Range(1, 5000).Select(i => $"{{\"id\": {i}, \"features\": [{i}, 0.5]}}\n")));
        var dir = Directory.CreateTempSubdirectory("batchjob-limited-").FullName;
        var output = Path.Combine(dir, "predictions.jsonl");
        var environment = new Dictionary<string, string?>
        {
            ["INPUT_PATH"] = input,
            ["OUTPUT_PATH"] = output,
            ["BATCH_SIZE"] = "100",
            ["LOG_RECORDS"] = "false",
            ["ENABLE_TELEMETRY"] = "false",
            // The JIT runtime's W^X double mapping sizes a memory file far beyond the limit; without it the runtime starts
            // (the native AOT build starts under the limit without it).
            ["DOTNET_EnableWriteXorExecute"] = "0",
        };

        var run = await PublishedWorker.RunAsync(environment, wrapper: ["/bin/sh", "-c", "ulimit -f 16 && trap '' XFSZ && exec \"$0\""]);

        run.ExitCode.Should().Be((int)ExitCode.InvalidConfiguration, run.ToString());
        var error = run.Lines.Where(l => l.GetProperty("level").GetString() == "ERROR").Should().ContainSingle(run.ToString()).Subject;
        error.GetProperty("message").GetString().Should().Be("Output not writable");
        error.GetProperty("output").GetString().Should().Be(output);
        error.GetProperty("error").GetString().Should().StartWith($"cannot write '{output}': ");
        run.Stderr.Should().BeEmpty();
        Directory.GetFileSystemEntries(dir).Should().BeEmpty("nothing was published and the temp file is gone");

        var retry = await PublishedWorker.RunAsync(environment);

        retry.ExitCode.Should().Be(0, retry.ToString());
        Directory.GetFileSystemEntries(dir).Should().Equal(output);
        File.ReadLines(output).Should().HaveCount(5001);
    }

    /// <summary>
    /// A file mounted onto the target (<c>docker run -v $PWD/predictions.jsonl:/out/predictions.jsonl</c>):
    /// a rename cannot replace a mount point, which the worker used to learn only after the whole batch.
    /// The mount lives in the worker's own mount namespace (as root, or through a user namespace).
    /// </summary>
    [Fact]
    public async Task A_file_mounted_onto_the_target_is_refused_before_any_record()
    {
        var dir = Directory.CreateTempSubdirectory("batchjob-mounted-").FullName;
        var target = Path.Combine(dir, "predictions.jsonl");
        var host = Path.Combine(dir, "host.jsonl");
        File.WriteAllText(target, "covered by the mount");
        File.WriteAllText(host, "the host's file");
        string[] unshare = ["unshare", "--mount"];
        if (!await Succeeds([.. unshare, "true"]))
        {
            unshare = ["unshare", "--map-root-user", "--mount"];
            if (!await Succeeds([.. unshare, "true"]))
            {
                return; // No mount namespace allowed here (not root, user namespaces off): FileStatusTests checks the detection on /proc.
            }
        }

        var run = await PublishedWorker.RunAsync(
            new Dictionary<string, string?> { ["OUTPUT_PATH"] = target, ["ENABLE_TELEMETRY"] = "false" },
            wrapper: [.. unshare, "/bin/sh", "-c", $"mount --bind '{host}' '{target}' && exec \"$0\""]);

        run.ExitCode.Should().Be((int)ExitCode.InvalidConfiguration, run.ToString());
        run.WithMessage("Record processed").Should().BeEmpty();
        run.Lines.Should().ContainSingle().Which.GetProperty("errors")[0].GetString().Should().Be(
            $"OUTPUT_PATH='{target}' is not valid: expected a new or regular file that the worker can replace when it publishes (it is a mount point, which a rename cannot replace; mount its folder instead).");
        File.ReadAllText(host).Should().Be("the host's file");
    }

    [Fact]
    public async Task A_killed_runs_temp_file_is_removed_by_the_next_run()
    {
        var input = InProcessRun.TempInput(string.Concat(Enumerable.Range(1, 2000).Select(i => $"{{\"id\": {i}, \"features\": [{i}]}}\n")));
        var dir = Directory.CreateTempSubdirectory("batchjob-killed-").FullName;
        var output = Path.Combine(dir, "predictions.jsonl");
        var environment = new Dictionary<string, string?>
        {
            ["INPUT_PATH"] = input,
            ["OUTPUT_PATH"] = output,
            ["BATCH_SIZE"] = "5",
            ["ENABLE_TELEMETRY"] = "false",
        };

        // 20 ms of CPU per record: 40 s for the file, so the kill lands mid-batch, after a few flushes.
        using var killed = PublishedWorker.Start(new Dictionary<string, string?>(environment) { ["CPU_BURN_MS"] = "20" });
        var processed = 0;
        while (await killed.StandardOutput.ReadLineAsync() is { } line && (!line.Contains("\"Record processed\"", StringComparison.Ordinal) || ++processed < 20))
        {
        }

        killed.Kill(); // SIGKILL: no chance to clean up, as with an OOM kill
        await killed.WaitForExitAsync();
        var left = Directory.GetFiles(dir).Should().ContainSingle("the killed run leaves its temp file").Subject;
        new FileInfo(left).Length.Should().BePositive();

        var next = await PublishedWorker.RunAsync(environment);

        next.ExitCode.Should().Be(0, next.ToString());
        Directory.GetFileSystemEntries(dir).Should().Equal(output);
    }

    private static async Task<bool> Succeeds(string[] command)
    {
        var info = new System.Diagnostics.ProcessStartInfo(command[0]) { RedirectStandardError = true };
        command[1..].ToList().ForEach(info.ArgumentList.Add);
        try
        {
            using var process = System.Diagnostics.Process.Start(info)!;
            await process.WaitForExitAsync();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no unshare at all
        }
    }
}
