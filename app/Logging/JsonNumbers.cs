using System.Globalization;
using System.Text.Json;

namespace BatchJob.Logging;

/// <summary>Writes doubles the way the guides print them: shortest round-trip form, whole numbers with ".0" (6.0, not 6).</summary>
public static class JsonNumbers
{
    /// <summary>Writes <paramref name="value"/> in <paramref name="style"/> (see <see cref="JsonValueStyle"/>).</summary>
    public static void WriteDouble(Utf8JsonWriter writer, double value, JsonValueStyle style)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> text = stackalloc byte[40];
        if (style == JsonValueStyle.Serilog)
        {
            if (double.IsFinite(value))
            {
                value.TryFormat(text, out var written, "R", CultureInfo.InvariantCulture);
                writer.WriteRawValue(text[..written], skipInputValidation: true);
            }
            else
            {
                writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
            }

            return;
        }

        if (!double.IsFinite(value))
        {
            writer.WriteNullValue();
            return;
        }

        var length = Format(value, text);
        writer.WriteRawValue(text[..length], skipInputValidation: true);
    }

    /// <summary>Formats into <paramref name="destination"/> (at least 40 bytes) and returns the length.</summary>
    public static int Format(double value, Span<byte> destination)
    {
        value.TryFormat(destination, out var length, "R", CultureInfo.InvariantCulture);
        if (destination[..length].IndexOfAny(".E"u8) < 0)
        {
            ".0"u8.CopyTo(destination[length..]);
            length += 2;
        }

        return length;
    }
}
