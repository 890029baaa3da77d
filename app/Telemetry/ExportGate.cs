namespace BatchJob.Telemetry;

/// <summary>
/// Backpressure in front of an export queue of <c>capacity</c> items (OTEL_BSP_MAX_QUEUE_SIZE),
/// and the one place a span or log record is dropped. It counts the items it admits and the items
/// it drops; what the exporter finished (delivered or failed) it reads from its
/// <see cref="Delivery"/>, so admitted minus finished is an upper bound of what the queue and the
/// export in flight hold. At the high-water mark (3/4 of the queue) it makes the producer wait for
/// the exporter while the exporter is succeeding (or has not finished an export yet), instead of
/// letting the queue drop; it never waits while the latest export failed (collector down) or,
/// before anything was delivered, while a connect to the endpoint is refused, and a
/// wait that reaches its bound (the export timeout, capped by the flush bound) marks the exporter
/// stalled: no more waiting until an export succeeds again, so telemetry can slow a batch but
/// never hang it. Not waiting, it admits an item while there is room and otherwise drops it here,
/// so the SDK's queue never overflows behind its back and <see cref="Dropped"/> is exact. Once
/// <see cref="Close"/>d (at shutdown) it never waits again: the exporter is going away, so nothing
/// logged or traced then may wait for it.
/// </summary>
internal sealed class ExportGate
{
    private readonly object _sync = new();
    private readonly int _capacity;
    private readonly int _highWater;
    private readonly int _waitTimeoutMs;
    private readonly CollectorProbe? _probe;
    private long _admitted;
    private long _dropped;
    private bool _stalled;
    private bool _closed;
    private long _waits;

    /// <param name="capacity">The export queue's size; the gate never admits more than this beyond what the exporter finished.</param>
    /// <param name="waitTimeoutMs">The longest one wait for the exporter lasts.</param>
    /// <param name="probe">Asked after a failed export whether anything listens at the endpoint.</param>
    public ExportGate(int capacity, int waitTimeoutMs, CollectorProbe? probe = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(waitTimeoutMs);
        _capacity = capacity;
        _highWater = HighWaterMark(capacity);
        _waitTimeoutMs = waitTimeoutMs;
        _probe = probe;
        Delivery = new DeliveryCounter(this, probe);
    }

    /// <summary>
    /// Where the producer starts waiting: 3/4 of the queue. The batch processor's export batch
    /// must not be larger, as it starts an export early only when its queue holds a full batch:
    /// a wait below that would last until the scheduled export.
    /// </summary>
    public static int HighWaterMark(int capacity) => Math.Max(1, capacity - (capacity / 4));

    /// <summary>What the exporter behind this gate delivered and failed: it counts every export here.</summary>
    public DeliveryCounter Delivery { get; }

    /// <summary>Items admitted and not yet finished by the exporter: queued or in the export in flight.</summary>
    public long Pending => Volatile.Read(ref _admitted) - Delivery.Finished;

    /// <summary>Items refused because the queue was full: they never reached the exporter.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>What came through this gate so far: every item is admitted or dropped.</summary>
    public SignalDelivery Snapshot()
    {
        var dropped = Dropped;
        return new SignalDelivery(Volatile.Read(ref _admitted) + dropped, Delivery.Exported, Delivery.Failed) { Dropped = dropped };
    }

    /// <summary>Times the producer waited for the exporter.</summary>
    public long Waits => Volatile.Read(ref _waits);

    /// <summary>
    /// Called before an item goes to the queue: true to enqueue it, false when it is dropped.
    /// Below the high-water mark this is two reads, a compare and an increment; no allocation.
    /// Producers racing there overshoot the mark by at most one item each, far below the queue's
    /// last quarter (the batch ends its spans on one thread).
    /// </summary>
    public bool TryAdmit()
    {
        if (Pending < _highWater)
        {
            Interlocked.Increment(ref _admitted);
            return true;
        }

        return AdmitWhenFull();
    }

    /// <summary>
    /// Stops all waiting, for good: a producer waiting now goes on at once, and later items are
    /// admitted while there is room and dropped (counted) otherwise. Called by
    /// <see cref="TelemetryPipeline.StopWaiting"/> only.
    /// </summary>
    public void Close()
    {
        lock (_sync)
        {
            _closed = true;
            Monitor.PulseAll(_sync);
        }
    }

    /// <summary>Called by <see cref="Delivery"/> after it counted an export: wakes waiting producers.</summary>
    internal void ExportFinished(bool succeeded)
    {
        lock (_sync)
        {
            if (succeeded)
            {
                _stalled = false;
            }

            Monitor.PulseAll(_sync);
        }
    }

    /// <summary>
    /// Before this exporter delivered anything, a first export still retrying looks like a slow
    /// one; a refused connect tells them apart: nothing listens, so waiting would be for nothing.
    /// </summary>
    private bool NobodyListening()
    {
        if (_probe is null || Delivery.Exported > 0)
        {
            return false;
        }

        _probe.Probe();
        return _probe.Reachable == false;
    }

    private bool AdmitWhenFull()
    {
        lock (_sync)
        {
            var waited = false;
            while (Pending >= _highWater && Delivery.LastExportSucceeded != false && !_stalled && !_closed)
            {
                if (NobodyListening())
                {
                    // Nothing to wait for. As after a wait that ran out: no waiting, and so no
                    // probe per item, until an export succeeds.
                    _stalled = true;
                    break;
                }

                if (!waited)
                {
                    waited = true;
                    Interlocked.Increment(ref _waits);
                }

                // Woken by every finished export; the timeout restarts only after progress.
                if (!Monitor.Wait(_sync, _waitTimeoutMs))
                {
                    _stalled = true;
                }
            }

            if (Pending < _capacity)
            {
                Interlocked.Increment(ref _admitted);
                return true;
            }

            Interlocked.Increment(ref _dropped);
            return false;
        }
    }
}
