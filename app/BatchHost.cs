using BatchJob.Configuration;
using BatchJob.Cost;
using BatchJob.Inference;
using BatchJob.Input;
using BatchJob.Logging;
using BatchJob.Processing;
using BatchJob.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchJob;

/// <summary>
/// The composition root: every service of a run, registered once. What is registered says what
/// the run does: with ENABLE_TELEMETRY=false there is no SDK, only <see cref="NoTelemetry"/>; with
/// OTEL_LOGS_EXPORTER=otlp a second <see cref="ILogOutput"/> sends every line to the collector.
/// The host is built but never started: the batch runs to completion on the main thread
/// (<see cref="BatchApplication"/>), so no hosted service runs, ConsoleLifetime neither prints
/// "Application started" nor handles SIGTERM (<see cref="ShutdownSignal"/> does, for exit 143),
/// and the telemetry flush is bounded by TELEMETRY_FLUSH_TIMEOUT_MS, not HostOptions.ShutdownTimeout.
/// Disposing the host flushes stdout (the sink is the host's) and stops the providers.
/// </summary>
internal static class BatchHost
{
    /// <summary>How long a buffered INFO line may wait before it reaches stdout (WARN and ERROR go at once).</summary>
    private static readonly TimeSpan LogFlushDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>The builder, for callers (tests) that add to the services before building it.</summary>
    /// <param name="configuration">From <see cref="ConfigurationLoader"/>, already read into <paramref name="options"/>.</param>
    /// <param name="stdout">Where the JSON log lines go.</param>
    public static HostApplicationBuilder CreateBuilder(BatchOptions options, IConfiguration configuration, Stream stdout)
    {
        ArgumentNullException.ThrowIfNull(options);
        // The sources ConfigurationLoader already read, chained as they are: no file is read again.
        var hostConfiguration = new ConfigurationManager();
        hostConfiguration.AddConfiguration(configuration);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // Only our sources, in README's order: no DOTNET_ variables, no appsettings.{Environment}.json
            // from the working directory, no console logger writing non-JSON lines to stdout.
            DisableDefaults = true,
            // Beside the binary, where ConfigurationLoader finds appsettings.json, from any folder.
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = "BatchJob",
            Configuration = hostConfiguration,
        });
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<BatchTelemetry>();

        // Logging: stdout always; the collector too when logs are exported.
        services.AddSingleton(_ => StdoutSink(stdout, options.LogFormat));
        services.AddSingleton<ILogOutput>(sp => sp.GetRequiredService<JsonLinesSink>());
        services.AddSingleton(options.Telemetry.Baggage);
        services.AddSingleton<BatchLog>();

        // The record pipeline's parts.
        services.AddSingleton<RecordParser>();
        services.AddSingleton(_ => new SumModel(options.CpuBurnMs));
        services.AddSingleton(_ => new CostModel(options.Cost));
        services.AddSingleton<BatchRunner>();

        var telemetry = options.Telemetry;
        if (telemetry.Enabled)
        {
            services.AddBatchTelemetry(telemetry, options.AppEnvironment, options.Shard);
            if (telemetry.ExportLogs)
            {
                services.AddSingleton<ILogOutput>(sp => new OtlpLogOutput(sp.GetRequiredService<ILoggerFactory>().CreateLogger(BatchTelemetry.Name)));
            }
        }
        else
        {
            services.AddSingleton<ITelemetryShutdown, NoTelemetry>();
            // Nothing listens to the ActivitySource, so no span starts; the sampler only keeps its count.
            services.AddSingleton(_ => new RecordSampler(telemetry.Sampler, telemetry.RemoteParent));
        }

        return builder;
    }

    /// <summary>Builds the host; with logs exported this already creates OpenTelemetry's logger provider and its exporter.</summary>
    public static IHost Build(BatchOptions options, IConfiguration configuration, Stream stdout) => CreateBuilder(options, configuration, stdout).Build();

    /// <summary>A stdout sink outside any host: for the lines written before one exists (bad configuration) or after stdout failed (to stderr).</summary>
    public static JsonLinesSink StdoutSink(Stream stdout, LogFormat format) =>
        new(stdout, format == LogFormat.Clef ? new ClefLayout() : new LabJsonLayout(), LogFlushDelay);
}
