namespace BatchJob.Telemetry;

/// <summary>
/// Backpressure in front of an export queue of <c>capacity</c> items (OTEL_BSP_MAX_QUEUE_SIZE).
/// It counts the items it admits and the items the exporter finished (delivered or failed), so
/// admitted minus finished is an upper bound of what the queue and the export in flight hold.
/// At the high-water mark (3/4 of the queue) it makes the producer wait for the exporter while the
/// exporter is succeeding (or has not finished an export yet), instead of letting the queue drop;
/// it never waits while the latest export failed (collector down), and a wait that reaches its
/// bound (the export timeout, capped by the flush bound) marks the exporter stalled: no more waiting until an export succeeds again, so
/// telemetry can slow a batch but never hang it. Not waiting, it admits an item while there is
/// room and otherwise drops it here, so the SDK's queue never overflows behind its back and
/// ended - finished stays the exact count of dropped items. Once <see cref="Close"/>d (at
/// shutdown) it never waits again: the exporter is going away, so nothing logged or traced then
/// may wait for it.
/// </summary>
internal sealed class ExportGate
{
    private readonly object _sync = new();
    private readonly int _capacity;
    private readonly int _highWater;
    private readonly int _waitTimeoutMs;
    private long _admitted;
    private long _finished;
    private int _lastResult = -1;
    private bool _stalled;
    private bool _closed;
    private long _waits;

    /// <param name="capacity">The export queue's size; the gate never admits more than this beyond what the exporter finished.</param>
    /// <param name="waitTimeoutMs">The longest one wait for the exporter lasts.</param>
    public ExportGate(int capacity, int waitTimeoutMs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(waitTimeoutMs);
        _capacity = capacity;
        _highWater = HighWaterMark(capacity);
        _waitTimeoutMs = waitTimeoutMs;
    }

    /// <summary>
    /// Where the producer starts waiting: 3/4 of the queue. The batch processor's export batch
    /// must not be larger, as it starts an export early only when its queue holds a full batch:
    /// a wait below that would last until the scheduled export.
    /// </summary>
    public static int HighWaterMark(int capacity) => Math.Max(1, capacity - (capacity / 4));

    /// <summary>Items admitted and not yet finished by the exporter: queued or in the export in flight.</summary>
    public long Pending => Volatile.Read(ref _admitted) - Volatile.Read(ref _finished);

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
        if (Volatile.Read(ref _admitted) - Volatile.Read(ref _finished) < _highWater)
        {
            Interlocked.Increment(ref _admitted);
            return true;
        }

        return AdmitWhenFull();
    }

    /// <summary>Called by the exporter after each export, with the items it delivered or failed.</summary>
    public void Finished(long items, bool succeeded)
    {
        lock (_sync)
        {
            Interlocked.Add(ref _finished, items);
            Volatile.Write(ref _lastResult, succeeded ? 1 : 0);
            if (succeeded)
            {
                _stalled = false;
            }

            Monitor.PulseAll(_sync);
        }
    }

    /// <summary>
    /// Stops all waiting, for good: a producer waiting now goes on at once, and later items are
    /// admitted while there is room and dropped (counted) otherwise. Called at shutdown, before
    /// the last flush, so a line written during or after it never waits on that flush.
    /// </summary>
    public void Close()
    {
        lock (_sync)
        {
            _closed = true;
            Monitor.PulseAll(_sync);
        }
    }

    private bool AdmitWhenFull()
    {
        lock (_sync)
        {
            var waited = false;
            while (Pending >= _highWater && Volatile.Read(ref _lastResult) != 0 && !_stalled && !_closed)
            {
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

            return false;
        }
    }
}
