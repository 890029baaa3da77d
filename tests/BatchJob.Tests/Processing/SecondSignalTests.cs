using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Processing;

/// <summary>
/// A second SIGTERM while telemetry is still flushing ends the process at once (the default
/// action). The summary is the job's record, so it must be on stdout before that flush starts.
/// </summary>
public sealed class SecondSignalTests
{
    private static readonly TimeSpan HangCatch = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TERM_then_TERM_during_a_flush_to_a_collector_that_never_answers_keeps_the_summary()
    {
        // A collector that accepts connections and never says a word: the flush waits its full bound.
        using var collector = new TcpListener(IPAddress.Loopback, 0);
        collector.Start();
        var endpoint = $"http://127.0.0.1:{((IPEndPoint)collector.LocalEndpoint).Port}";
        var input = InProcessRun.TempInput(string.Concat(Enumerable.Range(1, 2000).Select(i => $"{{\"id\": {i}, \"features\": [{i}]}}\n")));
        _ = PublishedWorker.Executable;
        var clock = Stopwatch.StartNew();
        using var worker = PublishedWorker.Start(new Dictionary<string, string?>
        {
            ["INPUT_PATH"] = input,
            ["CPU_BURN_MS"] = "20", // 40 s for the file: the first signal lands mid-batch
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            // Only metrics, exported only at exit: the first connection is the exit's flush.
            ["OTEL_TRACES_EXPORTER"] = "none",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "86400000",
            ["OTEL_EXPORTER_OTLP_TIMEOUT"] = "120000",
            ["TELEMETRY_FLUSH_TIMEOUT_MS"] = "120000",
        });

        var seen = await WorkerOutput.ReadUntilAsync(worker, "\"Record processed\"", HangCatch);
        Signals.Send(worker.Id, Signals.SigTerm);
        var firstSignal = Stopwatch.StartNew();
        using var flushing = await collector.AcceptTcpClientAsync().WaitAsync(HangCatch);
        // As the issue reproduced it: the second signal a second after the first, and in any case during the flush.
        var wait = TimeSpan.FromSeconds(1) - firstSignal.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        Signals.Send(worker.Id, Signals.SigTerm);
        var run = await WorkerOutput.FinishAsync(worker, seen, clock, HangCatch);

        run.ExitCode.Should().Be(143, run.ToString());
        var summary = run.Summary;
        summary.GetProperty("interrupted").GetBoolean().Should().BeTrue(run.ToString());
        summary.GetProperty("successful").GetInt64().Should().Be(run.WithMessage("Record processed").Count());
        run.WithMessage("Telemetry not fully delivered").Should().BeEmpty("the second signal ended the flush before its verdict");
    }
}
