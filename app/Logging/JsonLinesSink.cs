using System.Buffers;
using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Serilog.Core;
using Serilog.Events;

namespace BatchJob.Logging;

/// <summary>
/// Writes each event as one UTF-8 JSON line to stdout through a 64 KB buffer. Buffering keeps a
/// million-record run fast; warnings and errors flush at once, and anything else within
/// <c>maxDelay</c>, so <c>kubectl logs -f</c> stays live.
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
    private readonly long _maxDelayTicks;
    private long _lastFlush = Stopwatch.GetTimestamp();

    public JsonLinesSink(Stream output, IJsonLogLayout layout, TimeSpan maxDelay)
    {
        _output = output;
        _layout = layout;
        _writer = new Utf8JsonWriter(_pending, WriterOptions);
        _maxDelayTicks = (long)(maxDelay.TotalSeconds * Stopwatch.Frequency);
    }

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        lock (_lock)
        {
            _layout.Write(logEvent, _writer);
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
        var now = Stopwatch.GetTimestamp();
        if (flushNow || now - _lastFlush >= _maxDelayTicks)
        {
            WritePending();
            _output.Flush();
            _lastFlush = now;
        }
        else if (_pending.WrittenCount >= BufferBytes)
        {
            WritePending();
        }
    }

    private void WritePending()
    {
        _output.Write(_pending.WrittenSpan);
        _pending.ResetWrittenCount();
    }

    public void Flush()
    {
        lock (_lock)
        {
            WritePending();
            _output.Flush();
            _lastFlush = Stopwatch.GetTimestamp();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _writer.Dispose();
            WritePending();
            _output.Flush();
        }
    }
}
