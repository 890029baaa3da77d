using System.Text.Json;
using Serilog.Events;

namespace BatchJob.Logging;

/// <summary>
/// The lab's log line: <c>{"timestamp", "level", "message", ...fields, "trace_id", "span_id"}</c>,
/// with levels spelled INFO, WARN, ERROR as the guide shows them.
/// </summary>
internal sealed class LabJsonLayout : IJsonLogLayout
{
    public void Write(LogEvent logEvent, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("timestamp"u8, logEvent.Timestamp.UtcDateTime);
        writer.WriteString("level"u8, LevelName(logEvent.Level));
        writer.WriteString("message"u8, logEvent.MessageTemplate.Tokens.Count() == 1 ? logEvent.MessageTemplate.Text : logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (name, value) in logEvent.Properties)
        {
            writer.WritePropertyName(name);
            JsonValueWriter.Write(writer, value, name);
        }

        if (logEvent.Exception is { } exception)
        {
            writer.WriteString("exception"u8, exception.ToString());
        }

        if (logEvent.TraceId is { } traceId)
        {
            writer.WriteString("trace_id"u8, traceId.ToHexString());
        }

        if (logEvent.SpanId is { } spanId)
        {
            writer.WriteString("span_id"u8, spanId.ToHexString());
        }

        writer.WriteEndObject();
    }

    public void WriteRecordProcessed(in RecordLine line, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("timestamp"u8, line.Timestamp);
        writer.WriteString("level"u8, "INFO"u8);
        writer.WriteString("message"u8, "Record processed"u8);
        RecordFields.Write(line, writer);
        if (line.HasSpan)
        {
            Span<byte> hex = stackalloc byte[32];
            writer.WriteString("trace_id"u8, HexIds.Format(line.TraceId, hex));
            writer.WriteString("span_id"u8, HexIds.Format(line.SpanId, hex));
        }

        writer.WriteEndObject();
    }

    public static string LevelName(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => "DEBUG",
        LogEventLevel.Information => "INFO",
        LogEventLevel.Warning => "WARN",
        _ => "ERROR",
    };
}
