using System.Globalization;
using System.Text.Json;

namespace BatchJob.Json;

/// <summary>How a double becomes JSON text: one place for both stdout formats.</summary>
internal static class JsonNumbers
{
    /// <summary>Enough for any double in either format.</summary>
    public const int MaxLength = 40;

    /// <summary>The lab layout's number: shortest round-trip form, whole numbers with ".0" as the guides print them (6.0, not 6).</summary>
    public static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (!double.IsFinite(value))
        {
            writer.WriteNullValue();
            return;
        }

        Span<byte> text = stackalloc byte[MaxLength];
        var length = Format(value, text);
        writer.WriteRawValue(text[..length], skipInputValidation: true);
    }

    /// <summary>Formats into <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes) and returns the length.</summary>
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

    /// <summary>
    /// The CLEF number, as Serilog's JsonValueFormatter writes it: "R", and a non-finite value as
    /// a quoted string. Returns the length written into <paramref name="destination"/>.
    /// </summary>
    public static int FormatClef(double value, Span<byte> destination)
    {
        if (double.IsFinite(value))
        {
            value.TryFormat(destination, out var length, "R", CultureInfo.InvariantCulture);
            return length;
        }

        destination[0] = (byte)'"';
        value.TryFormat(destination[1..], out var text, provider: CultureInfo.InvariantCulture);
        destination[text + 1] = (byte)'"';
        return text + 2;
    }
}
