using BatchJob.Configuration;
using BatchJob.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BatchJob;

/// <summary>
/// The composition root: a generic host whose services are the run's options, its ActivitySource
/// and Meter, and (unless ENABLE_TELEMETRY=false) the OpenTelemetry SDK from
/// <see cref="TelemetryServiceCollectionExtensions.AddBatchTelemetry"/>. The host is built but never
/// started: the batch runs to completion on the main thread (<see cref="BatchApplication"/>), so no
/// hosted service runs, ConsoleLifetime neither prints "Application started" nor handles SIGTERM
/// (it would only in StartAsync; <see cref="ShutdownSignal"/> does, for exit 143), and
/// HostOptions.ShutdownTimeout plays no part: the telemetry flush is bounded by
/// TELEMETRY_FLUSH_TIMEOUT_MS (<see cref="TelemetryPipeline"/>).
/// </summary>
internal static class BatchHost
{
    /// <summary>The builder, for callers (tests) that add to the services before <see cref="Build"/>.</summary>
    /// <param name="configuration">From <see cref="ConfigurationLoader"/>, already read into <paramref name="options"/>.</param>
    public static HostApplicationBuilder CreateBuilder(BatchOptions options, IConfiguration configuration)
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
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<BatchTelemetry>();
        if (options.Telemetry.Enabled)
        {
            builder.Services.AddBatchTelemetry(options.Telemetry, options.AppEnvironment, options.Shard);
        }

        return builder;
    }

    /// <summary>Builds the host; with logs exported this already creates OpenTelemetry's logger provider and its exporter.</summary>
    public static IHost Build(BatchOptions options, IConfiguration configuration) => CreateBuilder(options, configuration).Build();
}
