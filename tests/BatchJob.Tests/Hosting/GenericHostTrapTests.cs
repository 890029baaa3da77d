using System.Collections.Concurrent;
using System.Diagnostics;
using BatchJob.Tests.Otlp;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Hosting;

/// <summary>
/// The generic host is the composition root, and its defaults are traps for a batch job (each was
/// measured with Microsoft.Extensions.Hosting 10): a throwing BackgroundService exits 0, the default
/// builder reads appsettings.json from the working directory and DOTNET_ variables and prints
/// "Application started" to stdout, and shutdown waits HostOptions.ShutdownTimeout plus 5 s per
/// provider; and a BackgroundService's loop holds a thread-pool thread the exporters' I/O needs.
/// These runs show none of it happens here.
/// </summary>
[Collection(WorkerSourceListeners.Name)]
public sealed class GenericHostTrapTests
{
    [Fact]
    public void The_batch_runs_on_the_thread_that_called_it_not_on_the_thread_pool()
    {
        // Every process_record span's start, with the thread it started on. Sampling is left to the
        // run's own SDK; this listener only watches.
        var started = new ConcurrentBag<(ActivityTraceId Trace, int Thread, bool Pool)>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "BatchJob",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.None,
            ActivityStarted = span =>
            {
                if (span.DisplayName == "process_record")
                {
                    started.Add((span.TraceId, Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread));
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        HostedRun? run = null;
        var caller = 0;
        // A thread of its own, as Program.cs's main thread is: not a pool thread.
        var thread = new Thread(() =>
        {
            caller = Environment.CurrentManagedThreadId;
            run = HostedRun.Run("{\"id\": 1, \"features\": [1]}\n{\"id\": 2, \"features\": [2]}\n");
        });
        thread.Start();
        thread.Join();

        using (run)
        {
            var trace = run!.Spans.Single(s => s.DisplayName == "batch_job").TraceId;
            var ours = started.Where(s => s.Trace == trace).ToList();
            ours.Should().HaveCount(2);
            ours.Should().OnlyContain(s => s.Thread == caller && !s.Pool, "the records are processed synchronously on the caller's thread");
        }
    }

    [Fact]
    public async Task Headers_the_SDK_would_throw_on_are_a_configuration_error_exit_2_before_the_SDK_starts()
    {
        // Malformed headers made the OTLP exporter throw as the host created it: exit 1 with the
        // SDK's stack trace (issue 21). Now they are refused with the other settings, the value unshown.
        var run = await PublishedWorker.RunAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_HEADERS"] = "api-keySECRET123",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9",
        });

        run.ExitCode.Should().Be(2, run.ToString());
        var error = run.Lines.Should().ContainSingle(run.ToString()).Subject;
        error.GetProperty("level").GetString().Should().Be("ERROR");
        error.GetProperty("message").GetString().Should().Be("Invalid configuration");
        error.GetProperty("errors")[0].GetString().Should().StartWith("OTEL_EXPORTER_OTLP_HEADERS");
        string.Join('\n', run.StdoutLines).Should().NotContain("SECRET123");
        run.Stderr.Should().BeEmpty();
    }

    [Fact]
    public async Task Run_from_another_folder_it_reads_the_appsettings_json_beside_the_binary_and_only_documented_sources()
    {
        var folder = Directory.CreateTempSubdirectory("batchjob-cwd-").FullName;
        // What a default host would read: the working directory's appsettings files and DOTNET_ variables.
        const string Bogus = """{ "LOG_FORMAT": "bogus", "APP_ENV": "from-cwd", "BATCH_SIZE": "-1" }""";
        await File.WriteAllTextAsync(Path.Combine(folder, "appsettings.json"), Bogus);
        await File.WriteAllTextAsync(Path.Combine(folder, "appsettings.Production.json"), Bogus);

        var run = await PublishedWorker.RunAsync(
            new Dictionary<string, string?>
            {
                ["DOTNET_LOG_FORMAT"] = "clef",
                ["DOTNET_APP_ENV"] = "from-dotnet-prefix",
                ["ENABLE_TELEMETRY"] = "false",
            },
            workingDirectory: folder);

        run.ExitCode.Should().Be(0, run.ToString());
        run.Lines.All(l => l.TryGetProperty("timestamp", out var t) && l.TryGetProperty("level", out var v)).Should().BeTrue("the lab layout, as the shipped appsettings.json says; " + run);
        run.WithMessage("Starting batch inference job").Single().GetProperty("app_env").GetString().Should().Be("local");
        run.WithMessage("Record processed").Should().HaveCount(2);
    }

    [Fact]
    public async Task Stdout_is_only_JSON_lines_and_stderr_is_empty_no_host_chatter()
    {
        await using var receiver = await OtlpReceiver.StartAsync();

        var run = await OtlpRun.RunAsync(receiver, "grpc");

        run.ExitCode.Should().Be(0, run.ToString());
        // WorkerRun.Lines parses every line as JSON and fails the test on one that is not.
        run.Lines.Select(l => l.GetProperty("message").GetString()).Should().StartWith(["Initializing OpenTelemetry", "Starting batch inference job"]);
        string.Join('\n', run.StdoutLines).Should().NotContain("Application started").And.NotContain("Hosting environment").And.NotContain("Content root path");
        run.Stderr.Should().BeEmpty();
    }

    [Fact]
    public async Task Sigterm_with_a_collector_that_never_answers_exits_143_after_the_bounded_flush_not_the_hosts_timeouts()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        // Accepts the connection and never answers within the run.
        receiver.ResponseDelay = TimeSpan.FromMinutes(10);
        var input = InProcessRun.TempInput(string.Concat(Enumerable.Range(1, 2000).Select(i => $"{{\"id\": {i}, \"features\": [{i}, 1]}}\n")));
        var (run, signalled) = await PublishedWorker.TerminateMidBatchAsync(OtlpRun.Environment(receiver, "grpc",
            ("INPUT_PATH", input),
            // 20 ms of CPU per record: 40 s for the file, so the signal lands mid-batch.
            ("CPU_BURN_MS", "20"),
            // The export itself never gives up first: the flush bound has to.
            ("OTEL_EXPORTER_OTLP_TIMEOUT", "60000"),
            ("TELEMETRY_FLUSH_TIMEOUT_MS", "1000"),
            // All three providers then have an export that never returns.
            ("OTEL_LOGS_EXPORTER", "otlp")));

        run.ExitCode.Should().Be(143, run.ToString());
        // A ceiling only to catch the trap, measured from the signal to a warm process, with room
        // for a loaded machine: the worker needs the record in hand and the 1 s flush bound, about
        // a second. A default host stops within HostOptions.ShutdownTimeout (30 s) and then gives
        // each provider's disposal 5 s more: with a never-answering collector one took 10.2 s.
        (run.Elapsed - signalled).Should().BeLessThan(TimeSpan.FromSeconds(10), run.ToString());
        run.Summary.GetProperty("interrupted").GetBoolean().Should().BeTrue();
        var warn = run.WithMessage("Telemetry not fully delivered").Single();
        warn.GetProperty("flushed_in_time").GetBoolean().Should().BeFalse();
        run.Stderr.Should().BeEmpty();
    }
}
