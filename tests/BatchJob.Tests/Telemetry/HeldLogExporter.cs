using System.Collections.Concurrent;
using BatchJob.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace BatchJob.Tests.Telemetry;

/// <summary>
/// A log exporter the test holds: each export blocks until the test grants it (<see cref="Allow"/>,
/// <see cref="Open"/>), then succeeds or, with <see cref="Fail"/>, fails. It reports every export
/// to the gate's <see cref="ExportGate.Delivery"/>, as the OTLP log exporter does, and keeps
/// the <c>N</c> attribute of every record it was handed (records are pooled: copied out here).
/// </summary>
internal sealed class HeldLogExporter(ExportGate gate) : BaseExporter<LogRecord>
{
    // Only catches a hang: a test that grants no export fails on its own ceiling first.
    private static readonly TimeSpan HangCeiling = TimeSpan.FromMinutes(2);
    private readonly SemaphoreSlim _grants = new(0);
    private volatile bool _open;
    private int _started;

    public DeliveryCounter Delivery => gate.Delivery;

    public ConcurrentQueue<long> Received { get; } = new();

    /// <summary>Exports begun, finished or still held.</summary>
    public int Started => Volatile.Read(ref _started);

    public bool Fail { get; set; }

    /// <summary>Lets <paramref name="exports"/> more exports through.</summary>
    public void Allow(int exports) => _grants.Release(exports);

    /// <summary>Lets every export through from now on, a held one included (the batch processor exports one at a time).</summary>
    public void Open()
    {
        _open = true;
        _grants.Release(1);
    }

    public override ExportResult Export(in Batch<LogRecord> batch)
    {
        Interlocked.Increment(ref _started);
        if (!_open && !_grants.Wait(HangCeiling))
        {
            throw new TimeoutException("the test never let this export through");
        }

        foreach (var record in batch)
        {
            Received.Enqueue(record.Attributes!.Where(a => a.Key == "N").Select(a => Convert.ToInt64(a.Value, System.Globalization.CultureInfo.InvariantCulture)).Single());
        }

        var count = batch.Count;
        return Delivery.Count(count, () => Fail ? ExportResult.Failure : ExportResult.Success);
    }

    /// <summary>
    /// Lets every export through rather than disposing the semaphore: the processor's export thread
    /// can start one more export after the test disposed the exporter, and waiting on a disposed
    /// semaphore there would crash the test host (it did, for the span exporter's twin).
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        Open();
        base.Dispose(disposing);
    }
}
