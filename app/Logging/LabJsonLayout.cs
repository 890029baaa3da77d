using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using BatchJob.Json;
using Microsoft.Extensions.Logging;

namespace BatchJob.Logging;

/// <summary>
/// The lab's log line: <c>{"timestamp", "level", "message", ...fields, "trace_id", "span_id"}</c>,
/// with levels spelled INFO, WARN, ERROR as the guide shows them.
/// </summary>
internal sealed class LabJsonLayout : ILogLineLayout, IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Keep '+', '<', quotes in messages readable; output is a log, not HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly Utf8JsonWriter _writer = new(Stream.Null, WriterOptions);

    public void Write(LogLine line, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(line);
        var writer = _writer;
        writer.Reset(output);
        writer.WriteStartObject();
        writer.WriteString("timestamp"u8, line.Timestamp);
        writer.WriteString("level"u8, LevelName(line.Level));
        writer.WriteString("message"u8, line.Message);
        foreach (ref readonly var field in line.Fields)
        {
            writer.WritePropertyName(field.Name);
            WriteValue(writer, field);
        }

        if (line.HasSpan)
        {
            Span<byte> hex = stackalloc byte[32];
            writer.WriteString("trace_id"u8, HexIds.Format(line.TraceId, hex));
            writer.WriteString("span_id"u8, HexIds.Format(line.SpanId, hex));
        }

        writer.WriteEndObject();
        writer.Flush();
    }

    public void Dispose() => _writer.Dispose();

    public static ReadOnlySpan<byte> LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "DEBUG"u8,
        LogLevel.Information => "INFO"u8,
        LogLevel.Warning => "WARN"u8,
        _ => "ERROR"u8,
    };

    private static void WriteValue(Utf8JsonWriter writer, in LogField field)
    {
        switch (field.Kind)
        {
            case LogFieldKind.Long:
                writer.WriteNumberValue(field.Integer);
                break;
            case LogFieldKind.Double:
                JsonNumbers.WriteDouble(writer, field.Number, field.Name);
                break;
            case LogFieldKind.Bool:
                writer.WriteBooleanValue(field.Bool);
                break;
            case LogFieldKind.String:
                writer.WriteStringValue(field.String);
                break;
            case LogFieldKind.Object:
                writer.WriteStartObject();
                foreach (var nested in field.Fields)
                {
                    writer.WritePropertyName(nested.Name);
                    WriteValue(writer, nested);
                }

                writer.WriteEndObject();
                break;
            case LogFieldKind.Strings:
                writer.WriteStartArray();
                foreach (var text in field.Strings)
                {
                    writer.WriteStringValue(text);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
