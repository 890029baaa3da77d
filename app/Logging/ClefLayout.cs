using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Json;

namespace BatchJob.Logging;

/// <summary>
/// Compact Log Event Format for Seq and other CLEF readers, written by Serilog.Formatting.Compact's
/// <see cref="CompactJsonFormatter"/> itself. Only the per-record line is written here, straight
/// from its fields, byte for byte what the formatter writes for the same event (tested).
/// </summary>
internal sealed class ClefLayout : IJsonLogLayout
{
    // What a default CompactJsonFormatter uses.
    private static readonly JsonValueFormatter Values = new FiniteJsonValueFormatter();

    private readonly StringBuilder _text = new();
    private readonly ArrayBufferWriter<byte> _line = new(256);

    public void Write(LogEvent logEvent, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using (var text = new StringWriter(_text.Clear(), CultureInfo.InvariantCulture))
        {
            CompactJsonFormatter.FormatEvent(logEvent, text, Values);
        }

        // Encoding (not the JSON writer) turns a lone surrogate into U+FFFD instead of throwing.
        writer.WriteRawValue(Encoding.UTF8.GetBytes(_text.ToString()), skipInputValidation: true);
    }

    /// <summary>
    /// The formatter's layout for an Information event without exception or renderings:
    /// <c>@t</c> as round-trip ("O") UTC time, <c>@mt</c>, <c>@tr</c>/<c>@sp</c> when in a span, then
    /// the properties in order, doubles as "R" (so 6.0 is <c>6</c>, unlike the lab layout's <c>6.0</c>).
    /// </summary>
    public void WriteRecordProcessed(in RecordLine line, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _line.ResetWrittenCount();
        Append("{\"@t\":\""u8);
        Advance(line.Timestamp.TryFormat(_line.GetSpan(40), out var written, "O", CultureInfo.InvariantCulture), written);
        Append("\",\"@mt\":\"Record processed\""u8);
        if (line.HasSpan)
        {
            Span<byte> hex = stackalloc byte[32];
            Append(",\"@tr\":\""u8);
            Append(HexIds.Format(line.TraceId, hex));
            Append("\",\"@sp\":\""u8);
            Append(HexIds.Format(line.SpanId, hex));
            Append("\""u8);
        }

        Append(",\"id\":"u8);
        if (line.Id.Text is { } text)
        {
            // Rare: escaped exactly as the formatter escapes, at the price of a string.
            using (var quoted = new StringWriter(_text.Clear(), CultureInfo.InvariantCulture))
            {
                JsonValueFormatter.WriteQuotedJsonString(text, quoted);
            }

            Append(Encoding.UTF8.GetBytes(_text.ToString()));
        }
        else
        {
            Advance(line.Id.Number.TryFormat(_line.GetSpan(20), out written, provider: CultureInfo.InvariantCulture), written);
        }

        Append(",\"prediction\":"u8);
        AppendDouble(line.Prediction);
        Append(",\"latency_ms\":"u8);
        AppendDouble(line.LatencyMs);
        if (line.CostUsd is { } cost)
        {
            Append(",\"cost_usd\":"u8);
            AppendDouble(cost);
        }

        Append("}"u8);
        writer.WriteRawValue(_line.WrittenSpan, skipInputValidation: true);
    }

    /// <summary>As <see cref="JsonValueFormatter"/> writes a double: "R", and NaN or infinities as strings.</summary>
    private void AppendDouble(double value)
    {
        var finite = double.IsFinite(value);
        if (!finite)
        {
            Append("\""u8);
        }

        Advance(value.TryFormat(_line.GetSpan(40), out var written, finite ? "R" : null, CultureInfo.InvariantCulture), written);
        if (!finite)
        {
            Append("\""u8);
        }
    }

    private void Append(ReadOnlySpan<byte> bytes) => _line.Write(bytes);

    private void Advance(bool formatted, int written)
    {
        if (!formatted)
        {
            throw new InvalidOperationException("a value did not fit its buffer");
        }

        _line.Advance(written);
    }
}
