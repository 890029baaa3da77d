using BatchJob.Configuration;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace BatchJob.Telemetry;

/// <summary>
/// The end of a run's telemetry: flushes and stops the providers the host created (see
/// <see cref="TelemetryServiceCollectionExtensions.AddBatchTelemetry"/>) in parallel, waiting at
/// most TELEMETRY_FLUSH_TIMEOUT_MS so a missing collector costs seconds, never a hang, and reports
/// what the collector accepted.
/// </summary>
internal sealed class TelemetryPipeline(TelemetryOptions options, TracerProvider tracerProvider, MeterProvider meterProvider, LoggerProvider? loggerProvider, OtlpExporters exporters) : ITelemetryShutdown
{
    public bool Enabled => true;

    /// <summary>Flushes and stops traces, metrics and logs in parallel, waiting at most the flush bound, and reports delivery.</summary>
    public TelemetryDelivery Shutdown()
    {
        var timeout = options.FlushTimeoutMs;
        // Here, before any provider starts its shutdown, not only in each gated processor's
        // OnShutdown: the providers shut down in parallel, and a line written meanwhile must not
        // wait on an exporter that is about to stop.
        StopWaiting();
        // Dedicated threads, not pool threads: each shutdown blocks on an export whose HTTP I/O
        // completes on the pool, and blocked workers on a 2-core pool starved it until the pool
        // injected a thread (~0.5 s each), which tripled the two-record run's time.
        var traces = OnOwnThread(() => tracerProvider.Shutdown(timeout));
        var metrics = OnOwnThread(() => meterProvider.Shutdown(timeout));
        var logs = OnOwnThread(() => loggerProvider?.Shutdown(timeout) ?? true);
        var completed = Task.WaitAll([traces, metrics, logs], timeout + 250);
        var traceExporter = exporters.Traces;
        var metricExporter = exporters.Metrics;
        var logExporter = exporters.Logs;
        return new TelemetryDelivery(
            traceExporter is null ? SignalDelivery.None : new(exporters.EndedSpans.Ended, traceExporter.Delivery.Exported, traceExporter.Delivery.Failed),
            completed && traces.Result && logs.Result,
            metricExporter is null ? null : completed && metrics.Result && metricExporter.Delivery.LastExportSucceeded == true)
        {
            Logs = logExporter is null ? null : new(exporters.EndedLogs.Ended, logExporter.Delivery.Exported, logExporter.Delivery.Failed),
        };
    }

    /// <summary>
    /// From now on no span or log record waits for its exporter; what does not fit the queue is
    /// dropped and counted. At shutdown, and on SIGTERM: a wait for a stuck exporter would
    /// otherwise hold the record in hand, and the exit, for up to an export timeout.
    /// </summary>
    public void StopWaiting()
    {
        exporters.SpanGate.Close();
        exporters.LogGate.Close();
    }

    private static Task<bool> OnOwnThread(Func<bool> shutdown) =>
        Task.Factory.StartNew(shutdown, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
