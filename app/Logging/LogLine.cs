using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace BatchJob.Logging;

/// <summary>
/// One log line as every output sees it: time, level, message, fields in order, and the ids of
/// the span it was written in. <see cref="BatchLog"/> builds it once; the stdout layouts and the
/// OTLP output each write it their way. Reused line after line: an output must not keep it.
/// </summary>
internal sealed class LogLine
{
    private LogField[] _fields = new LogField[16];
    private int _count;

    public DateTime Timestamp { get; private set; }

    public LogLevel Level { get; private set; }

    public string Message { get; private set; } = string.Empty;

    public ActivityTraceId TraceId { get; private set; }

    public ActivitySpanId SpanId { get; private set; }

    /// <summary>Whether the line was written inside a span; without one it has no trace or span id.</summary>
    public bool HasSpan { get; private set; }

    public ReadOnlySpan<LogField> Fields => _fields.AsSpan(0, _count);

    /// <summary>Starts a new line, forgetting the last one's fields.</summary>
    public void Start(DateTime timestamp, LogLevel level, string message, Activity? span)
    {
        Timestamp = timestamp;
        Level = level;
        Message = message;
        HasSpan = span is not null;
        TraceId = span?.TraceId ?? default;
        SpanId = span?.SpanId ?? default;
        // Drop the references the last line held (strings, nested fields).
        _fields.AsSpan(0, _count).Clear();
        _count = 0;
    }

    public void Add(in LogField field)
    {
        if (_count == _fields.Length)
        {
            Array.Resize(ref _fields, _count * 2);
        }

        _fields[_count++] = field;
    }
}
