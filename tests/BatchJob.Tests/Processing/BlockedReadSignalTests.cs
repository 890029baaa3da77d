using System.Diagnostics;
using System.Text;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Processing;

/// <summary>
/// SIGTERM must end the run (exit 143, the summary marked interrupted) whatever the worker is
/// waiting on: open() of a FIFO with no writer, read() of a pipe whose writer is silent, or a skip
/// through a line that never ends. Kubernetes sends SIGKILL only after the grace period, and a
/// killed run reports nothing. Real FIFOs, the published worker, real signals.
/// </summary>
public sealed class BlockedReadSignalTests
{
    // Every wait below only catches a hang: the worker is killed and the test fails with its output.
    private static readonly TimeSpan HangCatch = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_FIFO_env_file_whose_writer_sends_nothing()
    {
        var directory = Directory.CreateTempSubdirectory("batchjob-envfifo-").FullName;
        var dotEnv = Fifo.Create(Path.Combine(directory, ".env"));
        var clock = Started(out var worker, new() { ["ENABLE_TELEMETRY"] = "false" }, workingDirectory: directory);
        using (worker)
        {
            // Once the worker has the FIFO open it is reading configuration, past its signal setup.
            await using var writer = await Fifo.OpenWriterAsync(dotEnv, HangCatch);

            var run = await InterruptAsync(worker, [], clock, records: 0);

            run.Summary.TryGetProperty("total_cost_usd", out _).Should().BeFalse("the cost settings were never read");
        }
    }

    [Fact]
    public async Task A_FIFO_input_that_no_writer_ever_opens()
    {
        var clock = Started(out var worker, new() { ["ENABLE_TELEMETRY"] = "false", ["INPUT_PATH"] = NewFifo() });
        using (worker)
        {
            // Logged just before the input is opened; the open then waits for a writer that never comes.
            var seen = await WorkerOutput.ReadUntilAsync(worker, "\"Telemetry disabled\"", HangCatch);

            await InterruptAsync(worker, seen, clock, records: 0);
        }
    }

    [Fact]
    public async Task A_FIFO_input_whose_writer_goes_silent_after_three_records()
    {
        var fifo = NewFifo();
        var clock = Started(out var worker, new() { ["ENABLE_TELEMETRY"] = "false", ["INPUT_PATH"] = fifo });
        using (worker)
        {
            await using var writer = await Fifo.OpenWriterAsync(fifo, HangCatch);
            await writer.WriteAsync(Encoding.UTF8.GetBytes("{\"id\": 1, \"features\": [1]}\n{\"id\": 2, \"features\": [2]}\n{\"id\": 3, \"features\": [3]}\n"));
            var seen = await WorkerOutput.ReadUntilAsync(worker, "\"id\":3,", HangCatch);

            await InterruptAsync(worker, seen, clock, records: 3);
        }
    }

    [Fact]
    public async Task An_input_line_that_never_ends()
    {
        var clock = Started(out var worker, new() { ["ENABLE_TELEMETRY"] = "false", ["INPUT_PATH"] = "/dev/zero" });
        using (worker)
        {
            // The worker holds /dev/zero open: it is in the read loop, skipping the endless first line.
            await WaitForOpenFileAsync(worker, "/dev/zero");

            await InterruptAsync(worker, [], clock, records: 0);
        }
    }

    private static Stopwatch Started(out Process worker, Dictionary<string, string?> environment, string? workingDirectory = null)
    {
        _ = PublishedWorker.Executable;
        var clock = Stopwatch.StartNew();
        worker = PublishedWorker.Start(environment, workingDirectory: workingDirectory);
        return clock;
    }

    private static string NewFifo() => Fifo.Create(Path.Combine(Directory.CreateTempSubdirectory("batchjob-fifo-").FullName, "input.fifo"));

    /// <summary>Sends SIGTERM and checks the run ended as interrupted after <paramref name="records"/> records.</summary>
    private static async Task<WorkerRun> InterruptAsync(Process worker, IEnumerable<string> seen, Stopwatch clock, long records)
    {
        Signals.Send(worker.Id, Signals.SigTerm);
        var run = await WorkerOutput.FinishAsync(worker, seen, clock, HangCatch);
        run.ExitCode.Should().Be(143, run.ToString());
        var summary = run.Summary;
        summary.GetProperty("interrupted").GetBoolean().Should().BeTrue(run.ToString());
        summary.GetProperty("successful").GetInt64().Should().Be(records);
        summary.GetProperty("failed").GetInt64().Should().Be(0, "a line cut short by the signal is not a failed record");
        run.WithMessage("Batch job interrupted").Should().ContainSingle(run.ToString());
        run.Stderr.Should().BeEmpty();
        return run;
    }

    private static async Task WaitForOpenFileAsync(Process worker, string path)
    {
        using var cancel = new CancellationTokenSource(HangCatch);
        while (!HoldsOpen(worker.Id, path))
        {
            if (worker.HasExited)
            {
                throw new InvalidOperationException($"the worker exited ({worker.ExitCode}) before opening {path}: {await worker.StandardOutput.ReadToEndAsync()}");
            }

            await Task.Delay(20, cancel.Token);
        }
    }

    private static bool HoldsOpen(int pid, string path)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Any(fd => new FileInfo(fd).LinkTarget == path);
        }
        catch (IOException)
        {
            return false; // an fd closed while we looked, or the process is gone: the caller checks which
        }
    }
}
