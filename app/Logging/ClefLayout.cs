using System.Text.Json;
using Serilog.Events;

namespace BatchJob.Logging;

/// <summary>
/// Compact Log Event Format, as Serilog.Formatting.Compact writes it (<c>@t</c>, <c>@mt</c>, <c>@l</c>
/// unless Information, <c>@x</c>, <c>@tr</c>, <c>@sp</c>; field names starting with @ get a second @),
/// for Seq and other CLEF readers. That package is not on our mirror, so the format lives here.
/// </summary>
public sealed class ClefLayout : IJsonLogLayout
{
    public void Write(LogEvent logEvent, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("@t"u8, logEvent.Timestamp.UtcDateTime);
        writer.WriteString("@mt"u8, logEvent.MessageTemplate.Text);
        if (logEvent.Level != LogEventLevel.Information)
        {
            writer.WriteString("@l"u8, logEvent.Level.ToString());
        }

        if (logEvent.Exception is { } exception)
        {
            writer.WriteString("@x"u8, exception.ToString());
        }

        if (logEvent.TraceId is { } traceId)
        {
            writer.WriteString("@tr"u8, traceId.ToHexString());
        }

        if (logEvent.SpanId is { } spanId)
        {
            writer.WriteString("@sp"u8, spanId.ToHexString());
        }

        foreach (var (name, value) in logEvent.Properties)
        {
            writer.WritePropertyName(name.StartsWith('@') ? "@" + name : name);
            JsonValueWriter.Write(writer, value);
        }

        writer.WriteEndObject();
    }

    public void WriteRecordProcessed(in RecordLine line, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("@t"u8, line.Timestamp);
        writer.WriteString("@mt"u8, "Record processed"u8);
        if (line.HasSpan)
        {
            Span<byte> hex = stackalloc byte[32];
            writer.WriteString("@tr"u8, HexIds.Format(line.TraceId, hex));
            writer.WriteString("@sp"u8, HexIds.Format(line.SpanId, hex));
        }

        RecordFields.Write(line, writer);
        writer.WriteEndObject();
    }
}
