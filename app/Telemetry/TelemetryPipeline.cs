using System.Diagnostics;
using BatchJob.Configuration;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BatchJob.Telemetry;

/// <summary>
/// The OpenTelemetry SDK for one run: OTLP exporters for traces and metrics that count what
/// they delivered, and a shutdown bounded by TELEMETRY_FLUSH_TIMEOUT_MS so a missing collector costs
/// seconds, never a hang.
/// </summary>
public sealed class TelemetryPipeline : IDisposable
{
    private const int ScheduledDelayMs = 2000;
    private const int MaxExportBatchSize = 512;

    private readonly TelemetryOptions _options;
    private readonly OpenTelemetrySdk _sdk;
    private readonly EndedSpanCounter _spans = new();
    private readonly CountingOtlpTraceExporter? _traceExporter;
    private readonly CountingOtlpMetricExporter? _metricExporter;
    private bool _shutdownCompleted;

    private TelemetryPipeline(TelemetryOptions options, string appEnvironment, ShardOptions shard)
    {
        _options = options;
        Sampler = new RecordSampler(options.Sampler, options.RemoteParent);
        if (options.ExportTraces || options.ExportMetrics)
        {
            // The exporter reads its retry policy only from this variable; setting it here lets
            // appsettings.json and .env choose it too. See README, "Telemetry delivery".
            Environment.SetEnvironmentVariable(ConfigKeys.OtlpRetry, options.RetryOnFailure ? "in_memory" : null);
        }

        _traceExporter = options.ExportTraces ? new(ExporterOptions("v1/traces")) : null;
        _metricExporter = options.ExportMetrics ? new(ExporterOptions("v1/metrics")) : null;
        _sdk = OpenTelemetrySdk.Create(builder => builder
            .ConfigureResource(resource => resource.Clear()
                .AddService(options.ServiceName, serviceVersion: typeof(TelemetryPipeline).Assembly.GetName().Version?.ToString(3))
                .AddTelemetrySdk()
                .AddAttributes(ProcessAttributes(appEnvironment, shard))
                .AddAttributes(options.ResourceAttributes))
            .WithTracing(tracing =>
            {
                tracing.AddSource(BatchTelemetry.Name).SetSampler(Sampler);
                if (_traceExporter is not null)
                {
                    tracing.AddProcessor(_spans).AddProcessor(new BatchActivityExportProcessor(
                        _traceExporter, options.MaxQueueSize, ScheduledDelayMs, options.ExportTimeoutMs, Math.Min(MaxExportBatchSize, options.MaxQueueSize)));
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(BatchTelemetry.Name);
                if (_metricExporter is not null)
                {
                    metrics.AddReader(new PeriodicExportingMetricReader(_metricExporter, options.MetricExportIntervalMs, options.ExportTimeoutMs));
                }
            }));
    }

    /// <summary>The sampler the SDK uses; the worker asks it first to skip record spans it would drop.</summary>
    public RecordSampler Sampler { get; }

    /// <summary>Starts the SDK; spans and metrics are recorded from here on (exported only if their exporter is otlp).</summary>
    public static TelemetryPipeline Start(TelemetryOptions options, string appEnvironment, ShardOptions shard)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(shard);
        return new TelemetryPipeline(options, appEnvironment, shard);
    }

    /// <summary>Flushes and stops traces and metrics in parallel, waiting at most the flush bound, and reports delivery.</summary>
    public TelemetryDelivery Shutdown()
    {
        var timeout = _options.FlushTimeoutMs;
        // Dedicated threads, not pool threads: each shutdown blocks on an export whose HTTP I/O
        // completes on the pool, and two blocked workers on a 2-core pool starved it until the
        // pool injected a thread (~0.5 s each), which tripled the two-record run's time.
        var traces = Task.Factory.StartNew(() => _sdk.TracerProvider.Shutdown(timeout), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var metrics = Task.Factory.StartNew(() => _sdk.MeterProvider.Shutdown(timeout), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        _shutdownCompleted = Task.WaitAll([traces, metrics], timeout + 250);
        return new TelemetryDelivery(
            _traceExporter is null ? 0 : _spans.Ended,
            _traceExporter?.Delivery.Exported ?? 0,
            _traceExporter?.Delivery.Failed ?? 0,
            _shutdownCompleted && traces.Result,
            _metricExporter is null ? null : _shutdownCompleted && metrics.Result && _metricExporter.Delivery.LastExportSucceeded == true);
    }

    public void Dispose()
    {
        // After a timed-out shutdown an export may still hang on the network; the process is
        // exiting, so leave it rather than block on disposing it.
        if (_shutdownCompleted)
        {
            _sdk.Dispose();
        }
    }

    private OtlpExporterOptions ExporterOptions(string httpPath)
    {
        var endpoint = _options.Endpoint;
        if (_options.Protocol == OtlpExportProtocol.HttpProtobuf)
        {
            // As with the OTLP environment variables, the base endpoint gets the signal's path for HTTP.
            endpoint = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + httpPath);
        }

        return new OtlpExporterOptions
        {
            Endpoint = endpoint,
            Protocol = _options.Protocol,
            TimeoutMilliseconds = _options.ExportTimeoutMs,
        };
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
            // On the resource, every span and metric point of this pod carries its shard at no per-record cost.
            attributes["shard.index"] = (long)shard.Index;
            attributes["shard.count"] = (long)shard.Count;
        }

        return attributes;
    }
}
