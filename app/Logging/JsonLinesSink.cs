using System.Buffers;
using Microsoft.Extensions.Logging;

namespace BatchJob.Logging;

/// <summary>
/// Writes each event as one UTF-8 JSON line to stdout through a 64 KB buffer. Buffering keeps a
/// million-record run fast; warnings and errors flush at once, and anything else within
/// <c>maxDelay</c>: a timer, armed when a line is buffered, flushes it even if no other event
/// comes, so <c>kubectl logs -f</c> stays live while slow records are worked on.
/// A failed write (a full device, a closed pipe) never throws into the caller: the sink keeps the
/// first error in <see cref="OutputFailure"/>, drops further lines and signals <see cref="OutputBroken"/>.
/// </summary>
internal sealed class JsonLinesSink : ILogOutput, IDisposable
{
    private const int BufferBytes = 64 * 1024;

    private readonly Lock _lock = new();
    private readonly Stream _output;
    // Lines collect here and reach the stream in 64 KB writes. Utf8JsonWriter over a Stream would
    // flush the stream at every line: one write syscall per record, which the profile showed.
    private readonly ArrayBufferWriter<byte> _pending = new(BufferBytes * 2);
    private readonly ILogLineLayout _layout;
    // One line is built here first: a line a layout refuses half way (a non-finite number) must not
    // leave half of itself in front of the next line.
    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private readonly TimeSpan _maxDelay;
    private readonly ITimer _flushTimer;
    private readonly CancellationTokenSource _broken = new();
    // Set when a buffered line is waiting for the timer: the per-line cost is this check, the
    // timer is re-armed at most once per maxDelay.
    private bool _flushScheduled;
    private bool _disposed;

    /// <param name="timeProvider">Drives the flush timer; tests pass a fake one. Null means the system clock.</param>
    public JsonLinesSink(Stream output, ILogLineLayout layout, TimeSpan maxDelay, TimeProvider? timeProvider = null)
    {
        _output = output;
        _layout = layout;
        _maxDelay = maxDelay;
        _flushTimer = (timeProvider ?? TimeProvider.System).CreateTimer(_ => FlushScheduled(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The first error writing to the output; null while every write succeeded.</summary>
    public Exception? OutputFailure { get; private set; }

    /// <summary>Cancelled when a write to the output fails: the run can stop rather than work on unlogged.</summary>
    public CancellationToken OutputBroken => _broken.Token;

    public void Write(LogLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        lock (_lock)
        {
            _line.ResetWrittenCount();
            _layout.Write(line, _line);
            _pending.Write(_line.WrittenSpan);
            EndLine(line.Level >= LogLevel.Warning);
        }
    }

    private void EndLine(bool flushNow)
    {
        _pending.GetSpan(1)[0] = (byte)'\n';
        _pending.Advance(1);
        if (flushNow || _maxDelay <= TimeSpan.Zero)
        {
            WritePending(flush: true);
            return;
        }

        if (_pending.WrittenCount >= BufferBytes)
        {
            WritePending(flush: false);
        }

        if (!_flushScheduled)
        {
            // Lines buffered from now on are flushed by this timer at the latest.
            _flushScheduled = true;
            _flushTimer.Change(_maxDelay, Timeout.InfiniteTimeSpan);
        }
    }

    private void FlushScheduled()
    {
        lock (_lock)
        {
            _flushScheduled = false;
            if (!_disposed)
            {
                WritePending(flush: true);
            }
        }
    }

    private void WritePending(bool flush)
    {
        if (OutputFailure is null)
        {
            try
            {
                _output.Write(_pending.WrittenSpan);
                if (flush)
                {
                    _output.Flush();
                }
            }
            catch (Exception e) when (IsWriteFailure(e))
            {
                // Later lines cannot get through either; the caller decides what the run does.
                OutputFailure = e;
                _broken.Cancel();
            }
        }

        _pending.ResetWrittenCount();
    }

    /// <summary>
    /// How a stream says a write failed: IOException (a full device, a closed pipe: EPIPE),
    /// UnauthorizedAccessException (a closed or read-only descriptor: EBADF), and a stream that was
    /// closed or cannot write. Each ends the run the one documented way: exit 2, one ERROR line on stderr.
    /// </summary>
    public static bool IsWriteFailure(Exception e) =>
        e is IOException or UnauthorizedAccessException or ObjectDisposedException or NotSupportedException;

    public void Flush()
    {
        lock (_lock)
        {
            WritePending(flush: true);
        }
    }

    public void Dispose()
    {
        _flushTimer.Dispose();
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            (_layout as IDisposable)?.Dispose();
            WritePending(flush: true);
        }

        _broken.Dispose();
    }
}
