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
using Serilog;

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

        var started = new ResourceUsage();
        IConfiguration configuration;
        BatchOptions options;
        try
        {
            configuration = ConfigurationLoader.Build(args, workingDirectory, environment, cancellation);
            options = OptionsReader.Read(configuration, workingDirectory);
        }
        catch (Exception e) when (e is ConfigurationException or InvalidDataException or FormatException)
        {
            return Logged(stdout, stderr, LogFormat.Lab, null, (log, _) =>
            {
                log.ConfigurationInvalid(e is ConfigurationException c ? c.Errors : [e.Message]);
                return ExitCode.InvalidConfiguration;
            });
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // SIGTERM while a start-up file blocked (a FIFO .env): no record was read, and the
            // summary says so. Cost settings are not known yet, so it has no cost fields.
            return Logged(stdout, stderr, LogFormat.Lab, null, (log, _) =>
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

        IHost host;
        try
        {
            host = BatchHost.Build(options, configuration);
        }
#pragma warning disable CA1031 // See above: an SDK that cannot start (e.g. malformed OTEL_EXPORTER_OTLP_HEADERS) is a crash.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Crashed(stdout, stderr, options.LogFormat, e);
        }

        return Run(host, options, stdout, cancellation, stderr);
    }

    /// <summary>The run in a built host, which it disposes (tests build the host themselves to add in-memory exporters).</summary>
    internal static ExitCode Run(IHost host, BatchOptions options, Stream stdout, CancellationToken cancellation, Stream? stderr = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        using (host)
        {
            return Logged(stdout, stderr, options.LogFormat, host.Services.GetService<OtlpLogBridge>(), (log, sink) =>
            {
                // A log output that breaks (a full device) stops the run like a signal would; the exit code then says why.
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation, sink.OutputBroken);
                try
                {
                    return RunBatch(host.Services, options, log, sink, stop.Token);
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
    }

    private static ExitCode RunBatch(IServiceProvider services, BatchOptions options, BatchLog log, JsonLinesSink sink, CancellationToken cancellation)
    {
        // Resolving the pipeline creates the tracer, meter and logger providers: spans, metrics and
        // log records are recorded from here on, before the batch's first span.
        var pipeline = services.GetService<TelemetryPipeline>();
        if (pipeline is null)
        {
            log.TelemetryDisabled();
        }
        else
        {
            var t = options.Telemetry;
            log.TelemetryInitializing(t.ServiceName, t.Endpoint, t.Protocol == OpenTelemetry.Exporter.OtlpExportProtocol.Grpc ? "grpc" : "http/protobuf", t.ExportTraces, t.ExportMetrics, t.ExportLogs);
        }

        // SIGTERM (or a broken stdout) ends any wait for a slow exporter at once, not after its timeout.
        using var stopWaiting = pipeline is null ? default : cancellation.Register(pipeline.StopWaiting);
        // The runner logs the summary inside its batch_complete span.
        var summary = new BatchRunner(options, services.GetRequiredService<BatchTelemetry>(), log, services.GetService<RecordSampler>()).Run(cancellation);
        // The summary is the job's record: on stdout before the telemetry flush, which can take
        // TELEMETRY_FLUSH_TIMEOUT_MS, so a second SIGTERM during the flush cannot lose it.
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

    private static ExitCode Crashed(Stream stdout, Stream? stderr, LogFormat format, Exception e) =>
        Logged(stdout, stderr, format, null, (log, _) =>
        {
            log.Crashed(e);
            return ExitCode.Crash;
        });

    /// <summary>
    /// Runs <paramref name="run"/> with a logger on <paramref name="stdout"/> (and, when logs are
    /// exported, <paramref name="otlp"/>). If stdout could not be written (a full device), its
    /// lines are lost: one ERROR line on stderr says so, and the exit is 2, as for any output the
    /// run cannot write.
    /// </summary>
    private static ExitCode Logged(Stream stdout, Stream? stderr, LogFormat format, OtlpLogBridge? otlp, Func<BatchLog, JsonLinesSink, ExitCode> run)
    {
        ExitCode code;
        JsonLinesSink sink;
        using (var logger = CreateLogger(stdout, format, otlp, out sink))
        {
            code = run(new BatchLog(logger, sink, otlp), sink);
        }

        return sink.OutputFailure is { } failure ? OutputFailed(stderr, failure) : code;
    }

    /// <summary>stdout cannot be written: one ERROR line on stderr, and exit 2.</summary>
    private static ExitCode OutputFailed(Stream? stderr, Exception failure)
    {
        using (var fallback = CreateLogger(stderr ?? Console.OpenStandardError(), LogFormat.Lab, null, out var sink))
        {
            new BatchLog(fallback, sink).LogOutputFailed(failure);
        }

        return ExitCode.InvalidConfiguration;
    }

    /// <param name="otlp">When logs are exported: every line goes there too.</param>
    /// <param name="sink">The sink the logger writes stdout to; BatchLog also writes the per-record line to it directly.</param>
    private static Serilog.Core.Logger CreateLogger(Stream stdout, LogFormat format, OtlpLogBridge? otlp, out JsonLinesSink sink)
    {
        // Disposed by the logger, which owns it.
        sink = new JsonLinesSink(stdout, format == LogFormat.Clef ? new ClefLayout() : new LabJsonLayout(), TimeSpan.FromMilliseconds(500));
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Information()
            .WriteTo.Sink(sink);
        if (otlp is not null)
        {
            configuration.WriteTo.Sink(otlp);
        }

        return configuration.CreateLogger();
    }
}
