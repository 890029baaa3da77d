using System.Diagnostics;
using BatchJob.Tests.Support;
using Xunit.Abstractions;

namespace BatchJob.Tests.Processing;

/// <summary>
/// <c>kubectl logs -f</c> on a slow batch: with LOG_RECORDS=false nothing else is logged for a
/// long while, and the start line must still be on stdout while the worker works, not at exit.
/// </summary>
public sealed class LiveStdoutTests(ITestOutputHelper output)
{
    [Fact]
    public async Task With_LOG_RECORDS_false_and_slow_records_the_start_line_is_on_stdout_while_the_batch_runs()
    {
        // 500 records of 20 ms CPU each: at least 10 s of work, and no other line is due before the
        // end (no record lines, progress only every hour or every 1000 records).
        var input = InProcessRun.TempInput(string.Concat(Enumerable.Range(1, 500).Select(i => $"{{\"id\": {i}, \"features\": [{i}]}}\n")));
        _ = PublishedWorker.Executable; // published first, so the clock times the worker alone
        var clock = Stopwatch.StartNew();
        using var worker = PublishedWorker.Start(new Dictionary<string, string?>
        {
            ["INPUT_PATH"] = input,
            ["CPU_BURN_MS"] = "20",
            ["LOG_RECORDS"] = "false",
            ["PROGRESS_INTERVAL_SECONDS"] = "3600",
            ["ENABLE_TELEMETRY"] = "false",
        });

        // 60 s only catches a hang; the line is due 0.5 s after it is logged.
        var seen = await WorkerOutput.ReadUntilAsync(worker, "\"Starting batch inference job\"", TimeSpan.FromSeconds(60));
        output.WriteLine($"start line read {clock.Elapsed.TotalSeconds:0.00} s after the process started");

        // Proof that the batch was still running when the line arrived: a SIGTERM now interrupts it.
        // A worker that printed the line only at exit has done every record by now.
        Signals.Send(worker.Id, Signals.SigTerm);
        var run = await WorkerOutput.FinishAsync(worker, seen, clock, TimeSpan.FromSeconds(60));

        run.ExitCode.Should().Be(143, run.ToString());
        run.Summary.GetProperty("interrupted").GetBoolean().Should().BeTrue(run.ToString());
        run.Summary.GetProperty("successful").GetInt64().Should().BeLessThan(500);
    }
}
