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
/// </summary>
public static class BatchApplication
{
    /// <param name="stdout">Where the JSON log lines go.</param>
    /// <param name="environment">Stands in for the process environment (tests); null reads the real one.</param>
    public static ExitCode Run(IReadOnlyList<string> args, Stream stdout, string workingDirectory, IEnumerable<KeyValuePair<string, string?>>? environment, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        if (CommandLine.IsHelp(args))
        {
            stdout.Write(Encoding.UTF8.GetBytes(CommandLine.Usage + Environment.NewLine));
            return ExitCode.Success;
        }

        BatchOptions options;
        try
        {
            options = OptionsReader.Read(ConfigurationLoader.Build(args, workingDirectory, environment), workingDirectory);
        }
        catch (Exception e) when (e is ConfigurationException or InvalidDataException or FormatException)
        {
            using var fallback = CreateLogger(stdout, LogFormat.Lab, out _);
            new BatchLog(fallback).ConfigurationInvalid(e is ConfigurationException c ? c.Errors : [e.Message]);
            return ExitCode.InvalidConfiguration;
        }

        using var logger = CreateLogger(stdout, options.LogFormat, out var sink);
        var log = new BatchLog(logger, sink);
        try
        {
            return RunBatch(options, log, cancellation);
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
#pragma warning disable CA1031 // The last line of defence: one ERROR line and a distinct exit code, not a raw stack dump.
        catch (Exception e)
#pragma warning restore CA1031
        {
            log.Crashed(e);
            return ExitCode.Crash;
        }
    }

    private static ExitCode RunBatch(BatchOptions options, BatchLog log, CancellationToken cancellation)
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
        var delivery = pipeline?.Shutdown();
        var summary = result.Summary with { SpansDropped = delivery?.SpansDropped ?? 0 };
        log.BatchCompleted(summary, result.CompletionSpan);
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
