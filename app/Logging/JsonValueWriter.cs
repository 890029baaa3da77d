using System.Globalization;
using System.Text.Json;
using Serilog.Events;

namespace BatchJob.Logging;

/// <summary>Writes Serilog property values as plain JSON (numbers stay numbers, structures become objects).</summary>
public static class JsonValueWriter
{
    public static void Write(Utf8JsonWriter writer, LogEventPropertyValue value, JsonValueStyle style)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value)
        {
            case ScalarValue scalar:
                WriteScalar(writer, scalar.Value, style);
                break;
            case StructureValue structure:
                writer.WriteStartObject();
                foreach (var property in structure.Properties)
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value, style);
                }

                if (style == JsonValueStyle.Serilog && structure.TypeTag is { } typeTag)
                {
                    writer.WriteString("$type"u8, typeTag);
                }

                writer.WriteEndObject();
                break;
            case SequenceValue sequence:
                writer.WriteStartArray();
                foreach (var element in sequence.Elements)
                {
                    Write(writer, element, style);
                }

                writer.WriteEndArray();
                break;
            case DictionaryValue dictionary:
                writer.WriteStartObject();
                foreach (var (key, element) in dictionary.Elements)
                {
                    writer.WritePropertyName(key.Value?.ToString() ?? "null");
                    Write(writer, element, style);
                }

                writer.WriteEndObject();
                break;
            default:
                writer.WriteStringValue(value?.ToString());
                break;
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, object? value, JsonValueStyle style)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case double number:
                JsonNumbers.WriteDouble(writer, number, style);
                break;
            case float number when style == JsonValueStyle.Serilog:
                // Serilog formats a float as a float ("R" of 0.1f is 0.1, not 0.10000000149011612).
                if (float.IsFinite(number))
                {
                    writer.WriteRawValue(number.ToString("R", CultureInfo.InvariantCulture), skipInputValidation: true);
                }
                else
                {
                    writer.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
                }

                break;
            case float number:
                JsonNumbers.WriteDouble(writer, number, style);
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case sbyte or byte or short or ushort or uint or ulong:
                writer.WriteRawValue(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture), skipInputValidation: true);
                break;
            case DateTimeOffset time when style == JsonValueStyle.Serilog:
                writer.WriteStringValue(time.ToString("O", CultureInfo.InvariantCulture));
                break;
            case DateTime time when style == JsonValueStyle.Serilog:
                writer.WriteStringValue(time.ToString("O", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset time:
                writer.WriteStringValue(time);
                break;
            default:
                writer.WriteStringValue(value.ToString());
                break;
        }
    }
}
