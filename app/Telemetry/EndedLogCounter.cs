using OpenTelemetry;
using OpenTelemetry.Logs;

namespace BatchJob.Telemetry;

/// <summary>Counts the log records the run emits before shutdown, so records the export queue dropped can be told from records delivered.</summary>
internal sealed class EndedLogCounter : BaseProcessor<LogRecord>
{
    private long _ended;
    private int _shutdown;

    public long Ended => Interlocked.Read(ref _ended);

    public override void OnEnd(LogRecord data)
    {
        // Lines written after the flush (the delivery WARN itself) cannot be exported: not counted as lost.
        if (Volatile.Read(ref _shutdown) == 0)
        {
            Interlocked.Increment(ref _ended);
        }
    }

    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        Volatile.Write(ref _shutdown, 1);
        return true;
    }
}
