using System.Text.Json;
using Serilog.Events;

namespace BatchJob.Logging;

/// <summary>Writes Serilog property values as plain JSON (numbers stay numbers, structures become objects).</summary>
internal static class JsonValueWriter
{
    /// <param name="field">The property being written, named if a number in it is refused (<see cref="JsonNumbers"/>).</param>
    public static void Write(Utf8JsonWriter writer, LogEventPropertyValue value, string field)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value)
        {
            case ScalarValue scalar:
                WriteScalar(writer, scalar.Value, field);
                break;
            case StructureValue structure:
                writer.WriteStartObject();
                foreach (var property in structure.Properties)
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value, field + "." + property.Name);
                }

                writer.WriteEndObject();
                break;
            case SequenceValue sequence:
                writer.WriteStartArray();
                foreach (var element in sequence.Elements)
                {
                    Write(writer, element, field);
                }

                writer.WriteEndArray();
                break;
            case DictionaryValue dictionary:
                writer.WriteStartObject();
                foreach (var (key, element) in dictionary.Elements)
                {
                    writer.WritePropertyName(key.Value?.ToString() ?? "null");
                    Write(writer, element, field);
                }

                writer.WriteEndObject();
                break;
            default:
                writer.WriteStringValue(value?.ToString());
                break;
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, object? value, string field)
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
                JsonNumbers.WriteDouble(writer, number, field);
                break;
            case float number:
                JsonNumbers.WriteDouble(writer, number, field);
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
            case DateTimeOffset time:
                writer.WriteStringValue(time);
                break;
            default:
                writer.WriteStringValue(value.ToString());
                break;
        }
    }
}
