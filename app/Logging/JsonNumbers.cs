using System.Globalization;
using System.Text.Json;

namespace BatchJob.Logging;

/// <summary>Writes doubles the way the guides print them: shortest round-trip form, whole numbers with ".0" (6.0, not 6).</summary>
internal static class JsonNumbers
{
    public static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (!double.IsFinite(value))
        {
            writer.WriteNullValue();
            return;
        }

        Span<byte> text = stackalloc byte[40];
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
