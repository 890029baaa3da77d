using System.Text;
using BatchJob.Configuration;
using BatchJob.Input;
using BatchJob.Logging;
using BatchJob.Output;
using BatchJob.Processing;
using BatchJob.Telemetry;
using Serilog;

namespace BatchJob;

/// <summary>
/// One run, start to exit code: configuration, logging, telemetry, the batch, the summary and
/// the verdict. <c>Program.cs</c> calls it with the real process; tests call it in-process.
/// Every way out is one JSON line and a documented exit code, never a stack dump.
/// </summary>
public static class BatchApplication
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
            catch (IOException e)
            {
                return OutputFailed(stderr, e);
            }
        }

        var started = new ResourceUsage();
        BatchOptions options;
        try
        {
            options = OptionsReader.Read(ConfigurationLoader.Build(args, workingDirectory, environment, cancellation), workingDirectory);
        }
        catch (Exception e) when (e is ConfigurationException or InvalidDataException or FormatException)
        {
            return Logged(stdout, stderr, LogFormat.Lab, (log, _) =>
            {
                log.ConfigurationInvalid(e is ConfigurationException c ? c.Errors : [e.Message]);
                return ExitCode.InvalidConfiguration;
            });
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // SIGTERM while a start-up file blocked (a FIFO .env): no record was read, and the
            // summary says so. Cost settings are not known yet, so it has no cost fields.
            return Logged(stdout, stderr, LogFormat.Lab, (log, _) =>
            {
                var summary = new BatchStatistics().ToSummary(
                    costTracking: false, started.CpuUtilization(Environment.ProcessorCount), ResourceUsage.PeakMemoryMb(), started.ElapsedMs, interrupted: true);
                log.BatchCompleted(summary, default);
                log.Interrupted(0);
                return ExitCode.Interrupted;
            });
        }
#pragma warning disable CA1031 // The last line of defence: one ERROR line and a distinct exit code, not a raw stack dump.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Logged(stdout, stderr, LogFormat.Lab, (log, _) =>
            {
                log.Crashed(e);
                return ExitCode.Crash;
            });
        }

        return Logged(stdout, stderr, options.LogFormat, (log, sink) =>
        {
            // A log output that breaks (a full device) stops the run like a signal would; the exit code then says why.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation, sink.OutputBroken);
            try
            {
                return RunBatch(options, log, sink, stop.Token);
            }
            catch (InputException e)
            {
                log.InputUnreadable(options.InputPath, e.Message);
                return ExitCode.InvalidConfiguration;
            }
            catch (OutputException e)
            {
                log.OutputUnwritable(options.OutputPath, e.Message);
                return ExitCode.InvalidConfiguration;
            }
#pragma warning disable CA1031 // See above.
            catch (Exception e)
#pragma warning restore CA1031
            {
                log.Crashed(e);
                return ExitCode.Crash;
            }
        });
    }

    private static ExitCode RunBatch(BatchOptions options, BatchLog log, JsonLinesSink sink, CancellationToken cancellation)
    {
        using var telemetry = new BatchTelemetry();
        using var pipeline = options.Telemetry.Enabled ? TelemetryPipeline.Start(options.Telemetry, options.AppEnvironment, options.Shard) : null;
        if (pipeline is null)
        {
            log.TelemetryDisabled();
        }
        else
        {
            var t = options.Telemetry;
            log.TelemetryInitializing(t.ServiceName, t.Endpoint, t.Protocol == OpenTelemetry.Exporter.OtlpExportProtocol.Grpc ? "grpc" : "http/protobuf", t.ExportTraces, t.ExportMetrics);
        }

        var result = new BatchRunner(options, telemetry, log, pipeline?.Sampler).Run(cancellation);
        var summary = result.Summary;
        // The summary is the job's record: on stdout before the telemetry flush, which can take
        // TELEMETRY_FLUSH_TIMEOUT_MS, so a second SIGTERM during the flush cannot lose it.
        log.BatchCompleted(summary, result.CompletionSpan);
        sink.Flush();
        var delivery = pipeline?.Shutdown();
        if (delivery is { Complete: false })
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

        if (summary.FailedRatio > options.MaxFailedRatio)
        {
            log.TooManyFailures(summary.Failed, summary.TotalRecords, summary.FailedRatio, options.MaxFailedRatio);
            return ExitCode.TooManyFailedRecords;
        }

        return ExitCode.Success;
    }

    /// <summary>
    /// Runs <paramref name="run"/> with a logger on <paramref name="stdout"/>. If stdout could not
    /// be written (a full device), its lines are lost: one ERROR line on stderr says so, and the
    /// exit is 2, as for any output the run cannot write.
    /// </summary>
    private static ExitCode Logged(Stream stdout, Stream? stderr, LogFormat format, Func<BatchLog, JsonLinesSink, ExitCode> run)
    {
        ExitCode code;
        JsonLinesSink sink;
        using (var logger = CreateLogger(stdout, format, out sink))
        {
            code = run(new BatchLog(logger, sink), sink);
        }

        return sink.OutputFailure is { } failure ? OutputFailed(stderr, failure) : code;
    }

    /// <summary>stdout cannot be written: one ERROR line on stderr, and exit 2.</summary>
    private static ExitCode OutputFailed(Stream? stderr, Exception failure)
    {
        using (var fallback = CreateLogger(stderr ?? Console.OpenStandardError(), LogFormat.Lab, out _))
        {
            new BatchLog(fallback).LogOutputFailed(failure);
        }

        return ExitCode.InvalidConfiguration;
    }

    /// <param name="sink">The sink the logger writes to; BatchLog also writes the per-record line to it directly.</param>
    private static Serilog.Core.Logger CreateLogger(Stream stdout, LogFormat format, out JsonLinesSink sink)
    {
        // Disposed by the logger, which owns it.
        sink = new JsonLinesSink(stdout, format == LogFormat.Clef ? new ClefLayout() : new LabJsonLayout(), TimeSpan.FromMilliseconds(500));
        return new LoggerConfiguration()
            .MinimumLevel.Information()
            .WriteTo.Sink(sink)
            .CreateLogger();
    }
}
