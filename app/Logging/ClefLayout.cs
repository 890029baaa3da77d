using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using BatchJob.Json;
using Microsoft.Extensions.Logging;

namespace BatchJob.Logging;

/// <summary>
/// Compact Log Event Format for Seq and other CLEF readers, byte for byte what
/// Serilog.Formatting.Compact's <c>CompactJsonFormatter</c> writes for the same event (the tests
/// hold it to that reference): <c>@t</c> as round-trip UTC time, <c>@mt</c>, <c>@l</c> unless
/// Information, <c>@tr</c>/<c>@sp</c> in a span, then the fields, doubles as "R" (6.0 is <c>6</c>).
/// </summary>
internal sealed class ClefLayout : ILogLineLayout
{
    public void Write(LogLine line, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(output);
        Append(output, "{\"@t\":\""u8);
        Advance(output, line.Timestamp.TryFormat(output.GetSpan(40), out var written, "O", CultureInfo.InvariantCulture), written);
        Append(output, "\",\"@mt\":"u8);
        AppendString(output, line.Message);
        if (line.Level != LogLevel.Information)
        {
            Append(output, ",\"@l\":\""u8);
            Append(output, LevelName(line.Level));
            Append(output, "\""u8);
        }

        if (line.HasSpan)
        {
            Span<byte> hex = stackalloc byte[32];
            Append(output, ",\"@tr\":\""u8);
            Append(output, HexIds.Format(line.TraceId, hex));
            Append(output, "\",\"@sp\":\""u8);
            Append(output, HexIds.Format(line.SpanId, hex));
            Append(output, "\""u8);
        }

        foreach (ref readonly var field in line.Fields)
        {
            Append(output, ","u8);
            // The formatter doubles a leading '@' so a field cannot pass for one of its own.
            AppendString(output, field.Name.StartsWith('@') ? "@" + field.Name : field.Name);
            Append(output, ":"u8);
            AppendValue(output, field);
        }

        Append(output, "}"u8);
    }

    /// <summary>Serilog's names for the levels, as the formatter writes them in <c>@l</c>.</summary>
    private static ReadOnlySpan<byte> LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "Verbose"u8,
        LogLevel.Debug => "Debug"u8,
        LogLevel.Information => "Information"u8,
        LogLevel.Warning => "Warning"u8,
        LogLevel.Error => "Error"u8,
        _ => "Fatal"u8,
    };

    private static void AppendValue(IBufferWriter<byte> output, in LogField field)
    {
        switch (field.Kind)
        {
            case LogFieldKind.Long:
                Advance(output, Utf8Formatter.TryFormat(field.Integer, output.GetSpan(20), out var written), written);
                break;
            case LogFieldKind.Double:
                output.Advance(JsonNumbers.FormatClef(field.Number, output.GetSpan(JsonNumbers.MaxLength), field.Name));
                break;
            case LogFieldKind.Bool:
                Append(output, field.Bool ? "true"u8 : "false"u8);
                break;
            case LogFieldKind.String:
                AppendString(output, field.String);
                break;
            case LogFieldKind.Object:
                Append(output, "{"u8);
                var first = true;
                foreach (var nested in field.Fields)
                {
                    Append(output, first ? ""u8 : ","u8);
                    first = false;
                    AppendString(output, nested.Name);
                    Append(output, ":"u8);
                    AppendValue(output, nested);
                }

                Append(output, "}"u8);
                break;
            case LogFieldKind.Strings:
                Append(output, "["u8);
                for (var i = 0; i < field.Strings.Count; i++)
                {
                    Append(output, i == 0 ? ""u8 : ","u8);
                    AppendString(output, field.Strings[i]);
                }

                Append(output, "]"u8);
                break;
            default:
                Append(output, "null"u8);
                break;
        }
    }

    /// <summary>
    /// As the formatter quotes a string: only '"', '\' and control characters escaped (\n \r \f \t,
    /// the rest as \uXXXX), everything else as UTF-8, a lone surrogate as U+FFFD.
    /// </summary>
    private static void AppendString(IBufferWriter<byte> output, string text)
    {
        Append(output, "\""u8);
        var clean = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c >= ' ' && c != '"' && c != '\\')
            {
                continue;
            }

            AppendUtf8(output, text.AsSpan(clean, i - clean));
            clean = i + 1;
            switch (c)
            {
                case '"':
                    Append(output, "\\\""u8);
                    break;
                case '\\':
                    Append(output, "\\\\"u8);
                    break;
                case '\n':
                    Append(output, "\\n"u8);
                    break;
                case '\r':
                    Append(output, "\\r"u8);
                    break;
                case '\f':
                    Append(output, "\\f"u8);
                    break;
                case '\t':
                    Append(output, "\\t"u8);
                    break;
                default:
                    Append(output, "\\u"u8);
                    Advance(output, Utf8Formatter.TryFormat((int)c, output.GetSpan(4), out var written, new StandardFormat('X', 4)), written);
                    break;
            }
        }

        AppendUtf8(output, text.AsSpan(clean));
        Append(output, "\""u8);
    }

    // Escapes split the text only at ASCII characters, so a surrogate pair is never cut in two.
    private static void AppendUtf8(IBufferWriter<byte> output, ReadOnlySpan<char> text)
    {
        if (!text.IsEmpty)
        {
            output.Advance(Encoding.UTF8.GetBytes(text, output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length))));
        }
    }

    private static void Append(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes) => output.Write(bytes);

    private static void Advance(IBufferWriter<byte> output, bool formatted, int written)
    {
        if (!formatted)
        {
            throw new InvalidOperationException("a value did not fit its buffer");
        }

        output.Advance(written);
    }
}
