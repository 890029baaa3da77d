using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Serilog.Core;
using Serilog.Events;

namespace BatchJob.Logging;

/// <summary>
/// Writes each event as one UTF-8 JSON line to a buffered stream (stdout). Buffering keeps a
/// million-record run fast; warnings and errors flush at once, and anything else within
/// <c>maxDelay</c>, so <c>kubectl logs -f</c> stays live.
/// </summary>
public sealed class JsonLinesSink : ILogEventSink, IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Keep '+', '<', quotes in messages readable; output is a log, not HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly Lock _lock = new();
    private readonly Stream _output;
    private readonly IJsonLogLayout _layout;
    private readonly Utf8JsonWriter _writer;
    private readonly long _maxDelayTicks;
    private long _lastFlush = Stopwatch.GetTimestamp();

    public JsonLinesSink(Stream output, IJsonLogLayout layout, TimeSpan maxDelay)
    {
        _output = new BufferedStream(output, 64 * 1024);
        _layout = layout;
        _writer = new Utf8JsonWriter(_output, WriterOptions);
        _maxDelayTicks = (long)(maxDelay.TotalSeconds * Stopwatch.Frequency);
    }

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        lock (_lock)
        {
            _layout.Write(logEvent, _writer);
            _writer.Flush();
            _writer.Reset();
            _output.WriteByte((byte)'\n');
            var now = Stopwatch.GetTimestamp();
            if (logEvent.Level >= LogEventLevel.Warning || now - _lastFlush >= _maxDelayTicks)
            {
                _output.Flush();
                _lastFlush = now;
            }
        }
    }

    public void Flush()
    {
        lock (_lock)
        {
            _output.Flush();
            _lastFlush = Stopwatch.GetTimestamp();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _writer.Dispose();
            _output.Flush();
        }
    }
}
