using System.Globalization;
using System.Text.Json;

namespace BatchJob.Json;

/// <summary>
/// The one place a double becomes JSON text: both stdout layouts and the predictions file write
/// through it. Non-finite values are refused: JSON has no number for NaN or ±Infinity, and a null,
/// a string or <c>Infinity.0</c> in its place either lies to every reader or is not JSON. The
/// worker's numbers are finite by construction (the parser rejects non-finite features and sums;
/// means cannot overflow, see ScaledSum), so one that is not is a bug, reported as an
/// <see cref="InvalidOperationException"/> naming the field rather than printed.
/// </summary>
internal static class JsonNumbers
{
    /// <summary>Enough for any double in either format.</summary>
    public const int MaxLength = 40;

    /// <summary>The lab layout's number: shortest round-trip form, whole numbers with ".0" as the guides print them (6.0, not 6).</summary>
    /// <exception cref="InvalidOperationException"><paramref name="value"/> is NaN or infinite.</exception>
    public static void WriteDouble(Utf8JsonWriter writer, double value, string field)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> text = stackalloc byte[MaxLength];
        var length = Format(value, text, field);
        writer.WriteRawValue(text[..length], skipInputValidation: true);
    }

    /// <summary>Formats into <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes) and returns the length.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="value"/> is NaN or infinite.</exception>
    public static int Format(double value, Span<byte> destination, string field)
    {
        var length = FormatClef(value, destination, field);
        if (destination[..length].IndexOfAny(".E"u8) < 0)
        {
            ".0"u8.CopyTo(destination[length..]);
            length += 2;
        }

        return length;
    }

    /// <summary>The CLEF number, as Serilog's JsonValueFormatter writes a finite double: "R" (6.0 is <c>6</c>).</summary>
    /// <exception cref="InvalidOperationException"><paramref name="value"/> is NaN or infinite.</exception>
    public static int FormatClef(double value, Span<byte> destination, string field)
    {
        if (!double.IsFinite(value))
        {
            throw new InvalidOperationException($"'{field}' is {value.ToString(CultureInfo.InvariantCulture)}, which JSON cannot hold as a number");
        }

        value.TryFormat(destination, out var length, "R", CultureInfo.InvariantCulture);
        return length;
    }
}
