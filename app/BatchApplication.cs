using System.Text;
using BatchJob.Configuration;
using BatchJob.Input;
using BatchJob.Logging;
using BatchJob.Output;
using BatchJob.Processing;
using BatchJob.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BatchJob;

/// <summary>
/// One run, start to exit code: configuration, the host with its telemetry, logging, the batch,
/// the summary and the verdict. <c>Program.cs</c> calls it with the real process; tests call it
/// in-process. Every way out is one JSON line and a documented exit code, never a stack dump.
/// </summary>
internal static class BatchApplication
{
    /// <param name="stdout">Where the JSON log lines go.</param>
    /// <param name="environment">Stands in for the process environment (tests); null reads the real one.</param>
    /// <param name="stderr">Gets one ERROR line if <paramref name="stdout"/> cannot be written; null means the process's stderr.</param>
    public static ExitCode Run(IReadOnlyList<string> args, Stream stdout, string workingDirectory, IEnumerable<KeyValuePair<string, string?>>? environment, CancellationToken cancellation, Stream? stderr = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        if (CommandLine.IsHelp(args))
        {
            try
            {
                stdout.Write(Encoding.UTF8.GetBytes(CommandLine.Usage + Environment.NewLine));
                stdout.Flush();
                return ExitCode.Success;
            }
            catch (Exception e) when (JsonLinesSink.IsWriteFailure(e))
            {
                return OutputFailed(stderr, e);
            }
        }

        var check = CommandLine.IsCheck(args, out args);
        var started = new ResourceUsage();
        IConfiguration configuration;
        BatchOptions options;
        try
        {
            configuration = ConfigurationLoader.Build(args, workingDirectory, environment, cancellation);
            // --check reads the options the same way, with the same path checks, but creates nothing.
            options = OptionsReader.Read(configuration, workingDirectory, check ? OutputTarget.ReadOnlyChecks : OutputTarget.Checks);
        }
        catch (Exception e) when (e is ConfigurationException or InvalidDataException or FormatException)
        {
            return Logged(stdout, stderr, LogFormat.Lab, log =>
            {
                log.ConfigurationInvalid(e is ConfigurationException c ? c.Errors : [e.Message]);
                return ExitCode.InvalidConfiguration;
            });
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // SIGTERM while a start-up file blocked (a FIFO .env): no record was read, and the
            // summary says so. Cost settings are not known yet, so it has no cost fields.
            return Logged(stdout, stderr, LogFormat.Lab, log =>
            {
                var summary = new BatchStatistics().ToSummary(
                    costTracking: false, started.CpuUtilization(Environment.ProcessorCount), ResourceUsage.PeakMemoryMiB(), started.ElapsedMs, interrupted: true);
                log.BatchCompleted(summary);
                log.Interrupted(0);
                return ExitCode.Interrupted;
            });
        }
#pragma warning disable CA1031 // The last line of defence: one ERROR line and a distinct exit code, not a raw stack dump.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Crashed(stdout, stderr, LogFormat.Lab, e);
        }

        if (check)
        {
            try
            {
                return Logged(stdout, stderr, options.LogFormat, log => InputCheck.Run(options, log, cancellation) switch
                {
                    null => ExitCode.InvalidConfiguration,
                    { } found when found.FailedRatio > options.MaxFailedRatio => ExitCode.TooManyFailedRecords,
                    _ => ExitCode.Success,
                });
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return ExitCode.Interrupted;
            }
        }

        IHost host;
        try
        {
            host = BatchHost.Build(options, configuration, stdout);
        }
#pragma warning disable CA1031 // See above: an SDK that cannot start is a crash.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Crashed(stdout, stderr, options.LogFormat, e);
        }

        return Run(host, cancellation, stderr);
    }

    /// <summary>The run in a built host, which it disposes (tests build the host themselves to add in-memory exporters).</summary>
    internal static ExitCode Run(IHost host, CancellationToken cancellation, Stream? stderr = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ExitCode code;
        JsonLinesSink sink;
        using (host)
        {
            var services = host.Services;
            var options = services.GetRequiredService<BatchOptions>();
            var log = services.GetRequiredService<BatchLog>();
            sink = services.GetRequiredService<JsonLinesSink>();
            // A log output that breaks (a full device) stops the run like a signal would; the exit code then says why.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation, sink.OutputBroken);
            try
            {
                code = RunBatch(services, options, log, sink, stop.Token);
            }
            catch (InputException e)
            {
                log.InputUnreadable(options.InputPath, e.Message);
                code = ExitCode.InvalidConfiguration;
            }
            catch (OutputException e)
            {
                log.OutputUnwritable(options.OutputPath, e.Message);
                code = ExitCode.InvalidConfiguration;
            }
#pragma warning disable CA1031 // See above.
            catch (Exception e)
#pragma warning restore CA1031
            {
                log.Crashed(e);
                code = ExitCode.Crash;
            }
        }

        // The host disposed the sink, which wrote what it still held.
        return sink.OutputFailure is { } failure ? OutputFailed(stderr, failure) : code;
    }

    private static ExitCode RunBatch(IServiceProvider services, BatchOptions options, BatchLog log, JsonLinesSink sink, CancellationToken cancellation)
    {
        // Resolving the telemetry creates the tracer, meter and logger providers: spans, metrics and
        // log records are recorded from here on, before the batch's first span.
        var telemetry = services.GetRequiredService<ITelemetryShutdown>();
        if (telemetry.Enabled)
        {
            var t = options.Telemetry;
            log.TelemetryInitializing(t.ServiceName, t.Endpoint, t.Protocol == OpenTelemetry.Exporter.OtlpExportProtocol.Grpc ? "grpc" : "http/protobuf", t.ExportTraces, t.ExportMetrics, t.ExportLogs);
        }
        else
        {
            log.TelemetryDisabled();
        }

        if (options.Telemetry.Baggage.Problem is { } baggageProblem)
        {
            log.BaggageIgnored(baggageProblem);
        }

        // SIGTERM (or a broken stdout) ends any wait for a slow exporter at once, not after its timeout.
        using var stopWaiting = cancellation.Register(telemetry.StopWaiting);
        // The runner logs the summary inside its batch_complete span.
        var summary = services.GetRequiredService<BatchRunner>().Run(cancellation);
        // The summary is the job's record: on stdout before the telemetry flush, which can take
        // TELEMETRY_FLUSH_TIMEOUT_MS, so a second SIGTERM during the flush cannot lose it.
        sink.Flush();
        var delivery = telemetry.Shutdown();
        if (!delivery.Complete)
        {
            log.TelemetryNotDelivered(options.Telemetry.Endpoint, delivery);
        }

        if (summary.CostPerRecordUsd is { } perRecord && perRecord > (double)options.Cost.TargetPerRecord)
        {
            log.CostTargetExceeded(perRecord, (double)options.Cost.TargetPerRecord);
        }

        if (summary.Interrupted)
        {
            log.Interrupted(summary.TotalRecords);
            return ExitCode.Interrupted;
        }

        if (summary is { BudgetExceeded: true, BudgetUsd: { } budget, TotalCostUsd: { } spent })
        {
            log.BudgetExceeded(spent, budget, summary.LinesUnread);
            return ExitCode.BudgetExceeded;
        }

        if (summary.FailedRatio > options.MaxFailedRatio)
        {
            log.TooManyFailures(summary.Failed, summary.TotalRecords, summary.FailedRatio, options.MaxFailedRatio);
            return ExitCode.TooManyFailedRecords;
        }

        return ExitCode.Success;
    }

    private static ExitCode Crashed(Stream stdout, Stream? stderr, LogFormat format, Exception e) =>
        Logged(stdout, stderr, format, log =>
        {
            log.Crashed(e);
            return ExitCode.Crash;
        });

    /// <summary>
    /// Runs <paramref name="run"/> with a log on <paramref name="stdout"/> alone, for the lines
    /// written before a host exists. If stdout could not be written (a full device), its lines are
    /// lost: one ERROR line on stderr says so, and the exit is 2, as for any output the run cannot write.
    /// </summary>
    private static ExitCode Logged(Stream stdout, Stream? stderr, LogFormat format, Func<BatchLog, ExitCode> run)
    {
        ExitCode code;
        var sink = BatchHost.StdoutSink(stdout, format);
        using (sink)
        {
            code = run(new BatchLog([sink], TimeProvider.System, W3CBaggage.None));
        }

        return sink.OutputFailure is { } failure ? OutputFailed(stderr, failure) : code;
    }

    /// <summary>stdout cannot be written: one ERROR line on stderr, and exit 2.</summary>
    private static ExitCode OutputFailed(Stream? stderr, Exception failure)
    {
        using (var sink = BatchHost.StdoutSink(stderr ?? Console.OpenStandardError(), LogFormat.Lab))
        {
            new BatchLog([sink], TimeProvider.System, W3CBaggage.None).LogOutputFailed(failure);
        }

        return ExitCode.InvalidConfiguration;
    }
}
