using BatchJob.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BatchJob.Telemetry;

/// <summary>The run's OpenTelemetry SDK, registered the OpenTelemetry.Extensions.Hosting way.</summary>
internal static class TelemetryServiceCollectionExtensions
{
    private const int ScheduledDelayMs = 2000;
    private const int MaxExportBatchSize = 512;
    private const int MaxPointsPerMetric = 100;

    /// <summary>
    /// One resource for every signal; traces from the batch's ActivitySource through the record
    /// sampler; metrics from the batch's Meter plus .NET's own runtime metrics (GC, CPU, memory);
    /// and, with OTEL_LOGS_EXPORTER=otlp, OpenTelemetry's logging provider, which every log line
    /// reaches through the logger named <see cref="BatchTelemetry.Name"/> (the host registers that output). Each signal whose exporter is otlp goes
    /// to OTEL_EXPORTER_OTLP_ENDPOINT through a batch processor and an exporter that counts what
    /// the collector accepted (<see cref="OtlpExporters"/>); spans and log records each get a queue
    /// of OTEL_BSP_MAX_QUEUE_SIZE and an <see cref="ExportGate"/> in front of it: the batch waits for
    /// an exporter that keeps up, and what is dropped is counted on batch_telemetry_dropped.
    /// <see cref="TelemetryPipeline"/> (resolving it creates the providers) flushes them at the end.
    /// </summary>
    public static IServiceCollection AddBatchTelemetry(this IServiceCollection services, TelemetryOptions options, string appEnvironment, ShardOptions shard)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(shard);
        if (options.ExportTraces || options.ExportMetrics || options.ExportLogs)
        {
            // The exporter reads its retry policy only from this variable; setting it here lets
            // appsettings.json and .env choose it too. See README, "Telemetry delivery".
            Environment.SetEnvironmentVariable(ConfigKeys.OtlpRetry, options.RetryOnFailure ? "in_memory" : null);
        }

        var sampler = new RecordSampler(options.Sampler, options.RemoteParent);
        services.AddSingleton(sampler);
        // Created here, once, and handed to the providers and the pipeline below: every exporter
        // and gate exists before the SDK asks for one. Creating an exporter connects to nothing.
        var exporters = new OtlpExporters(options);
        // No larger than the gates' high-water mark (never above the queue size): see ExportGate.HighWaterMark.
        var batchSize = Math.Min(MaxExportBatchSize, ExportGate.HighWaterMark(options.MaxQueueSize));
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.Clear()
                .AddService(options.ServiceName, serviceVersion: typeof(TelemetryServiceCollectionExtensions).Assembly.GetName().Version?.ToString(3))
                .AddTelemetrySdk()
                .AddAttributes(ProcessAttributes(appEnvironment, shard))
                .AddAttributes(options.ResourceAttributes))
            .WithTracing(tracing =>
            {
                tracing.AddSource(BatchTelemetry.Name).SetSampler(sampler);
                if (options.Baggage.Entries.Count > 0)
                {
                    tracing.AddProcessor(new BaggageSpanProcessor(options.Baggage));
                }

                if (exporters is { Traces: { } traces, SpanGate: { } gate })
                {
                    tracing.AddProcessor(sp => new GatedActivityExportProcessor(
                        traces, gate, sp.GetRequiredService<BatchTelemetry>().TelemetryDropped,
                        options.MaxQueueSize, ScheduledDelayMs, options.ExportTimeoutMs, batchSize));
                }
            })
            .WithMetrics(metrics =>
            {
                // Exemplars link record_latency_ms to the record spans it was measured in (OTEL_METRICS_EXEMPLAR_FILTER).
                metrics.AddMeter(BatchTelemetry.Name).AddRuntimeInstrumentation().SetExemplarFilter(options.ExemplarFilter)
                    // Each metric's store is allocated up front for its cardinality limit: the default
                    // 2000 points made ~5 MB and half a short run's GC. No metric here has more than a few.
                    .AddView(_ => new MetricStreamConfiguration { CardinalityLimit = MaxPointsPerMetric });
                if (exporters.Metrics is { } exporter)
                {
                    // A factory: the reader starts its export thread when created, so only with the provider.
                    metrics.AddReader(_ => new PeriodicExportingMetricReader(exporter, options.MetricExportIntervalMs, options.ExportTimeoutMs));
                }
            });

        if (exporters is { Logs: { } logExporter, LogGate: { } logGate })
        {
            telemetry.WithLogging(
                logging => logging
                    .AddProcessor(sp => new GatedLogRecordExportProcessor(
                        logExporter, logGate, sp.GetRequiredService<BatchTelemetry>().TelemetryDropped,
                        options.MaxQueueSize, ScheduledDelayMs, options.ExportTimeoutMs, batchSize))
                    .AddProcessor(logExporter.ProviderHandoff),
                logOptions => logOptions.IncludeFormattedMessage = false);
        }

        services.AddSingleton<ITelemetryShutdown>(sp => new TelemetryPipeline(
            options,
            sp.GetRequiredService<TracerProvider>(),
            sp.GetRequiredService<MeterProvider>(),
            options.ExportLogs ? sp.GetRequiredService<LoggerProvider>() : null,
            exporters));
        return services;
    }

    private static Dictionary<string, object> ProcessAttributes(string appEnvironment, ShardOptions shard)
    {
        var process = Environment.ProcessPath is { } path ? Path.GetFileName(path) : "BatchJob";
        var attributes = new Dictionary<string, object>
        {
            ["deployment.environment.name"] = appEnvironment,
            ["host.name"] = Environment.MachineName,
            ["process.pid"] = (long)Environment.ProcessId,
            ["process.executable.name"] = process,
            ["process.runtime.name"] = ".NET",
            ["process.runtime.version"] = Environment.Version.ToString(),
        };
        if (shard.IsSharded)
        {
            // On the resource, so every span, metric point and log record of this pod carries its
            // shard once per export, not per item. BatchRunner also tags the batch span with both, and
            // each sampled process_record span with shard.index (one more tag per record, sharded runs
            // only), for backends that do not query resource attributes.
            attributes["shard.index"] = (long)shard.Index;
            attributes["shard.count"] = (long)shard.Count;
        }

        return attributes;
    }
}
