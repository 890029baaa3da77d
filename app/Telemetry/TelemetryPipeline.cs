using System.Diagnostics;
using BatchJob.Configuration;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace BatchJob.Telemetry;

/// <summary>
/// The end of a run's telemetry: flushes and stops the providers the host created (see
/// <see cref="TelemetryServiceCollectionExtensions.AddBatchTelemetry"/>) in parallel, waiting at
/// most TELEMETRY_FLUSH_TIMEOUT_MS so a missing collector costs seconds, never a hang, and reports
/// what the collector accepted. Where nothing has ever accepted a connection at the endpoint, it
/// does not wait the bound at all (see <see cref="Shutdown"/>).
/// </summary>
internal sealed class TelemetryPipeline(TelemetryOptions options, TracerProvider tracerProvider, MeterProvider meterProvider, LoggerProvider? loggerProvider, OtlpExporters exporters)
    : ITelemetryShutdown, IDisposable
{
    public bool Enabled => true;

    /// <summary>
    /// How long the flush waits when nothing listens at the endpoint: enough for exports without
    /// retry to fail on their own (a refused connect takes microseconds), far below the half second
    /// a newcomer's run may spend after its summary.
    /// </summary>
    private const int NobodyListeningGraceMs = 100;

    /// <summary>
    /// Flushes and stops traces, metrics and logs in parallel, and reports delivery. It waits at
    /// most the flush bound, or, while no export has ever succeeded and a connect to the endpoint
    /// is refused (nothing listens there: a local run with no collector, or a Service with no
    /// collector ready), only <see cref="NobodyListeningGraceMs"/>: a retrying exporter would
    /// otherwise retry against a closed port for the whole bound. A collector that accepted a
    /// connection once (an export succeeded, or a probe after a failed one connected), that is up
    /// but slow, or that came up during the run, accepts the probe and gets the whole bound.
    /// </summary>
    public TelemetryDelivery Shutdown()
    {
        var flush = Stopwatch.StartNew();
        var bound = options.FlushTimeoutMs + 250;
        // Here, before any provider starts its shutdown: the providers shut down in parallel, and
        // a line written meanwhile must not wait on an exporter that is about to stop.
        StopWaiting();
        // Dedicated threads, not pool threads: each shutdown blocks on an export whose HTTP I/O
        // completes on the pool, and blocked workers on a 2-core pool starved it until the pool
        // injected a thread (~0.5 s each), which tripled the two-record run's time.
        var traces = OnOwnThread(() => tracerProvider.Shutdown(options.FlushTimeoutMs));
        var metrics = OnOwnThread(() => meterProvider.Shutdown(options.FlushTimeoutMs));
        var logs = OnOwnThread(() => loggerProvider?.Shutdown(options.FlushTimeoutMs) ?? true);
        Task[] all = [traces, metrics, logs];
        bool completed;
        if (NobodyListening())
        {
            // Probed again after the grace: a collector that has just come up still gets the bound.
            completed = Task.WaitAll(all, NobodyListeningGraceMs)
                || (!NobodyListening() && Task.WaitAll(all, (int)Math.Max(0, bound - flush.ElapsedMilliseconds)));
        }
        else
        {
            completed = Task.WaitAll(all, bound);
        }

        return new TelemetryDelivery(
            exporters.SpanGate?.Snapshot() ?? SignalDelivery.None,
            completed && traces.Result && logs.Result,
            exporters.MetricDelivery is { } metricDelivery ? completed && metrics.Result && metricDelivery.LastExportSucceeded == true : null)
        {
            Logs = exporters.LogGate?.Snapshot(),
            CollectorReachable = exporters.AnyExported ? true : exporters.Probe.Reachable,
        };
    }

    /// <summary>
    /// From now on no span or log record waits for its exporter; what does not fit the queue is
    /// dropped and counted. The one place the gates close: at shutdown, on SIGTERM (a wait for a
    /// stuck exporter would otherwise hold the record in hand, and the exit, for up to an export
    /// timeout), and when the host disposes this pipeline before the providers it created.
    /// </summary>
    public void StopWaiting()
    {
        exporters.SpanGate?.Close();
        exporters.LogGate?.Close();
    }

    public void Dispose() => StopWaiting();

    private static Task<bool> OnOwnThread(Func<bool> shutdown) =>
        Task.Factory.StartNew(shutdown, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private bool NobodyListening()
    {
        if (exporters.AnyExported)
        {
            return false;
        }

        exporters.Probe.Probe();
        return exporters.Probe.Reachable == false;
    }
}
