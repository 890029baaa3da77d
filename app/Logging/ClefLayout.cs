using System.Globalization;
using System.Text.Json;
using Serilog.Events;
using Serilog.Parsing;

namespace BatchJob.Logging;

/// <summary>
/// Compact Log Event Format, byte for byte as Serilog.Formatting.Compact's <c>CompactJsonFormatter</c>
/// writes it (<c>@t</c> in the "O" format, <c>@mt</c>, <c>@r</c> for formatted tokens, <c>@l</c>
/// unless Information, <c>@x</c>, <c>@tr</c>, <c>@sp</c>; field names starting with @ get a second
/// @; values as <see cref="JsonValueStyle.Serilog"/>), for Seq and other CLEF readers. The tests
/// compare it with that package; the worker writes its own to share the sink and the direct
/// per-record line with the lab layout.
/// </summary>
public sealed class ClefLayout : IJsonLogLayout
{
    public void Write(LogEvent logEvent, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        WriteTimestamp(writer, logEvent.Timestamp.UtcDateTime);
        writer.WriteString("@mt"u8, logEvent.MessageTemplate.Text);
        WriteRenderings(logEvent, writer);
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
            JsonValueWriter.Write(writer, value, JsonValueStyle.Serilog);
        }

        writer.WriteEndObject();
    }

    public void WriteRecordProcessed(in RecordLine line, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        WriteTimestamp(writer, line.Timestamp);
        writer.WriteString("@mt"u8, "Record processed"u8);
        if (line.HasSpan)
        {
            Span<byte> hex = stackalloc byte[32];
            writer.WriteString("@tr"u8, HexIds.Format(line.TraceId, hex));
            writer.WriteString("@sp"u8, HexIds.Format(line.SpanId, hex));
        }

        RecordFields.Write(line, writer, JsonValueStyle.Serilog);
        writer.WriteEndObject();
    }

    /// <summary>The "O" round-trip format, all seven fractional digits (System.Text.Json trims them).</summary>
    private static void WriteTimestamp(Utf8JsonWriter writer, DateTime utc)
    {
        Span<byte> text = stackalloc byte[40];
        utc.TryFormat(text, out var written, "O", CultureInfo.InvariantCulture);
        writer.WriteString("@t"u8, text[..written]);
    }

    /// <summary><c>@r</c>: each property token that has a format, rendered, in template order.</summary>
    private static void WriteRenderings(LogEvent logEvent, Utf8JsonWriter writer)
    {
        var started = false;
        foreach (var token in logEvent.MessageTemplate.Tokens)
        {
            if (token is not PropertyToken { Format: not null } formatted)
            {
                continue;
            }

            if (!started)
            {
                writer.WriteStartArray("@r"u8);
                started = true;
            }

            using var rendered = new StringWriter(CultureInfo.InvariantCulture);
            formatted.Render(logEvent.Properties, rendered, CultureInfo.InvariantCulture);
            writer.WriteStringValue(rendered.ToString());
        }

        if (started)
        {
            writer.WriteEndArray();
        }
    }
}
