using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Serilog.Core;
using Serilog.Events;

namespace BatchJob.Logging;

/// <summary>
/// Writes each event as one UTF-8 JSON line to stdout through a 64 KB buffer. Buffering keeps a
/// million-record run fast; warnings and errors flush at once, and anything else within
/// <c>maxDelay</c>: a timer, armed when a line is buffered, flushes it even if no other event
/// comes, so <c>kubectl logs -f</c> stays live while slow records are worked on.
/// A failed write (a full device, a closed pipe) never throws into the caller: the sink keeps the
/// first error in <see cref="OutputFailure"/>, drops further lines and signals <see cref="OutputBroken"/>.
/// </summary>
internal sealed class JsonLinesSink : ILogEventSink, IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Keep '+', '<', quotes in messages readable; output is a log, not HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private const int BufferBytes = 64 * 1024;

    private readonly Lock _lock = new();
    private readonly Stream _output;
    // Lines collect here and reach the stream in 64 KB writes. Utf8JsonWriter over a Stream would
    // flush the stream at every line: one write syscall per record, which the profile showed.
    private readonly ArrayBufferWriter<byte> _pending = new(BufferBytes * 2);
    private readonly IJsonLogLayout _layout;
    private readonly Utf8JsonWriter _writer;
    private readonly TimeSpan _maxDelay;
    private readonly ITimer _flushTimer;
    private readonly CancellationTokenSource _broken = new();
    // Set when a buffered line is waiting for the timer: the per-line cost is this check, the
    // timer is re-armed at most once per maxDelay.
    private bool _flushScheduled;
    private bool _disposed;

    /// <param name="timeProvider">Drives the flush timer; tests pass a fake one. Null means the system clock.</param>
    public JsonLinesSink(Stream output, IJsonLogLayout layout, TimeSpan maxDelay, TimeProvider? timeProvider = null)
    {
        _output = output;
        _layout = layout;
        _writer = new Utf8JsonWriter(_pending, WriterOptions);
        _maxDelay = maxDelay;
        _flushTimer = (timeProvider ?? TimeProvider.System).CreateTimer(_ => FlushScheduled(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The first error writing to the output; null while every write succeeded.</summary>
    public Exception? OutputFailure { get; private set; }

    /// <summary>Cancelled when a write to the output fails: the run can stop rather than work on unlogged.</summary>
    public CancellationToken OutputBroken => _broken.Token;

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        lock (_lock)
        {
            try
            {
                _layout.Write(logEvent, _writer);
            }
            catch (InvalidOperationException)
            {
                // A value JSON cannot hold (JsonNumbers): drop the half-written line, so the next
                // line is not glued to it, and let the refusal go on its way.
                _writer.Reset();
                throw;
            }

            EndLine(logEvent.Level >= LogEventLevel.Warning);
        }
    }

    /// <summary>The per-record INFO line, straight from its fields (see <see cref="RecordLine"/>); same bytes as through Serilog.</summary>
    public void EmitRecordProcessed(in RecordLine line)
    {
        lock (_lock)
        {
            _layout.WriteRecordProcessed(line, _writer);
            EndLine(flushNow: false);
        }
    }

    private void EndLine(bool flushNow)
    {
        _writer.Flush();
        _writer.Reset();
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
            _writer.Dispose();
            WritePending(flush: true);
        }

        _broken.Dispose();
    }
}
