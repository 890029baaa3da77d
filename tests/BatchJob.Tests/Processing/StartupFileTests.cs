using System.Diagnostics;
using System.Text;
using System.Text.Json;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Processing;

/// <summary>
/// Every file the worker needs before the first record (.env, appsettings.json, stdout itself):
/// when one cannot be read or written the run ends with one JSON ERROR line and exit 2, never a
/// .NET stack trace and exit 134. The unreadable files are made so that root cannot read them
/// either (a folder, a symbolic link loop), since root ignores chmod.
/// </summary>
[Collection(WorkerSourceListeners.Name)]
public sealed class StartupFileTests
{
    [Theory]
    [InlineData("a folder")]
    [InlineData("a symbolic link loop")]
    public void An_env_file_that_cannot_be_read_stops_the_run_with_exit_2_and_one_line(string kind)
    {
        var directory = Directory.CreateTempSubdirectory("batchjob-env-").FullName;
        var dotEnv = Path.Combine(directory, ".env");
        if (kind == "a folder")
        {
            Directory.CreateDirectory(dotEnv);
        }
        else
        {
            File.CreateSymbolicLink(dotEnv, ".env");
        }

        var (code, lines, stdout, _) = Run(directory);

        code.Should().Be(ExitCode.InvalidConfiguration, stdout);
        var line = lines.Should().ContainSingle(stdout).Subject;
        line.GetProperty("level").GetString().Should().Be("ERROR");
        line.GetProperty("message").GetString().Should().Be("Invalid configuration");
        line.GetProperty("errors")[0].GetString().Should().StartWith(dotEnv + " ");
    }

    [Fact]
    public void An_env_file_over_1_MiB_is_refused_rather_than_read_without_end()
    {
        var directory = Directory.CreateTempSubdirectory("batchjob-env-").FullName;
        var comment = "# " + new string('x', 1021) + "\n";
        File.WriteAllText(Path.Combine(directory, ".env"), string.Concat(Enumerable.Repeat(comment, 1025)));

        var (code, lines, stdout, _) = Run(directory);

        code.Should().Be(ExitCode.InvalidConfiguration, stdout);
        lines.Should().ContainSingle().Which.GetProperty("errors")[0].GetString().Should().Contain("is over 1048576 bytes");
    }

    [Theory]
    [InlineData]
    [InlineData("--help")]
    public void Stdout_on_a_full_device_gives_exit_2_and_one_ERROR_line_on_stderr(params string[] args)
    {
        var directory = Directory.CreateTempSubdirectory("batchjob-full-").FullName;
        // Unbuffered, as the console stream is: every write reaches the device.
        using var full = new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        using var stderr = new MemoryStream();

        var code = BatchApplication.Run(args, full, directory, new Dictionary<string, string?> { ["ENABLE_TELEMETRY"] = "false" }, CancellationToken.None, stderr);

        code.Should().Be(ExitCode.InvalidConfiguration);
        var line = JsonDocument.Parse(Encoding.UTF8.GetString(stderr.ToArray())).RootElement;
        line.GetProperty("level").GetString().Should().Be("ERROR");
        line.GetProperty("message").GetString().Should().Be("Log output not writable");
        line.GetProperty("error").GetString().Should().StartWith("No space left on device");
    }

    [Fact]
    public async Task The_published_worker_with_stdout_on_dev_full_exits_2_with_one_JSON_line_on_stderr()
    {
        var info = PublishedWorker.StartInfo(new Dictionary<string, string?> { ["ENABLE_TELEMETRY"] = "false" });
        info.ArgumentList.Insert(0, "-c");
        info.ArgumentList.Insert(1, "exec \"$0\" \"$@\" >/dev/full");
        info.ArgumentList.Insert(2, info.FileName);
        info.FileName = "/bin/sh";

        var run = await RunAsync(info);

        run.ExitCode.Should().Be(2, run.ToString());
        var line = JsonDocument.Parse(run.Stderr.Trim()).RootElement;
        line.GetProperty("message").GetString().Should().Be("Log output not writable", run.ToString());
        run.Stderr.Trim().Should().NotContain("\n", "one line, no stack trace");
    }

    [Fact]
    public async Task The_published_worker_without_appsettings_json_beside_it_exits_2_with_one_JSON_line()
    {
        // A copy of the published worker with its defaults file missing, as a broken image would have it.
        var published = Path.GetDirectoryName(PublishedWorker.Executable)!;
        var copy = Directory.CreateTempSubdirectory("batchjob-nosettings-").FullName;
        foreach (var file in Directory.EnumerateFiles(published, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(published, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        File.Delete(Path.Combine(copy, "appsettings.json"));
        var info = PublishedWorker.StartInfo(new Dictionary<string, string?> { ["ENABLE_TELEMETRY"] = "false" });
        info.FileName = Path.Combine(copy, Path.GetFileName(PublishedWorker.Executable));

        var run = await RunAsync(info);

        run.ExitCode.Should().Be(2, run.ToString());
        run.Stderr.Should().BeEmpty();
        var line = run.Lines.Should().ContainSingle(run.ToString()).Subject;
        line.GetProperty("level").GetString().Should().Be("ERROR");
        line.GetProperty("message").GetString().Should().Be("Invalid configuration");
        line.GetProperty("errors")[0].GetString().Should().Contain(Path.Combine(copy, "appsettings.json")).And.Contain("not found");
    }

    private static (ExitCode Code, List<JsonElement> Lines, string Stdout, string Stderr) Run(string workingDirectory)
    {
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var code = BatchApplication.Run([], stdout, workingDirectory, new Dictionary<string, string?> { ["ENABLE_TELEMETRY"] = "false" }, CancellationToken.None, stderr);
        var text = Encoding.UTF8.GetString(stdout.ToArray());
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        return (code, lines, text, Encoding.UTF8.GetString(stderr.ToArray()));
    }

    private static async Task<WorkerRun> RunAsync(ProcessStartInfo info)
    {
        var clock = Stopwatch.StartNew();
        using var worker = Process.Start(info)!;
        return await PublishedWorker.CollectAsync(worker, clock, TimeSpan.FromSeconds(60)); // a hang catch
    }
}
