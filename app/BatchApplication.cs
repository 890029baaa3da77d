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
/// One run, start to exit code: configuration, logging, telemetry, the batch, the summary and
/// the verdict. <c>Program.cs</c> calls it with the real process; tests call it in-process.
/// </summary>
internal static class BatchApplication
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

        ConfigurationManager configuration;
        BatchOptions options;
        try
        {
            configuration = ConfigurationLoader.Build(args, workingDirectory, environment);
            options = OptionsReader.Read(configuration, workingDirectory);
        }
        catch (Exception e) when (e is ConfigurationException or InvalidDataException or FormatException)
        {
            using var fallback = CreateLogger(stdout, LogFormat.Lab, null, out var fallbackSink);
            new BatchLog(fallback, fallbackSink).ConfigurationInvalid(e is ConfigurationException c ? c.Errors : [e.Message]);
            return ExitCode.InvalidConfiguration;
        }

        IHost host;
        try
        {
            host = BatchHost.Build(options, configuration);
        }
#pragma warning disable CA1031 // As below: an SDK that cannot start (e.g. malformed OTEL_EXPORTER_OTLP_HEADERS) is a crash, one line, exit 1.
        catch (Exception e)
#pragma warning restore CA1031
        {
            using var fallback = CreateLogger(stdout, options.LogFormat, null, out var fallbackSink);
            new BatchLog(fallback, fallbackSink).Crashed(e);
            return ExitCode.Crash;
        }

        return Run(host, options, stdout, cancellation);
    }

    /// <summary>The run in a built host, which it disposes (tests build the host themselves to add in-memory exporters).</summary>
    internal static ExitCode Run(IHost host, BatchOptions options, Stream stdout, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        using (host)
        {
            var otlp = host.Services.GetService<OtlpLogBridge>();
            using var logger = CreateLogger(stdout, options.LogFormat, otlp, out var sink);
            var log = new BatchLog(logger, sink, otlp);
            try
            {
                return RunBatch(host.Services, options, log, cancellation);
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
    }

    private static ExitCode RunBatch(IServiceProvider services, BatchOptions options, BatchLog log, CancellationToken cancellation)
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

        var result = new BatchRunner(options, services.GetRequiredService<BatchTelemetry>(), log, services.GetService<RecordSampler>()).Run(cancellation);
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
