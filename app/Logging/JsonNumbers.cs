using System.Globalization;
using System.Text.Json;

namespace BatchJob.Logging;

/// <summary>
/// The one place a double becomes JSON: the lab layout's lines, the per-record line and the
/// predictions file write through it, and the CLEF formatter asks <see cref="RequireFinite"/>.
/// Doubles print the way the guides print them: shortest round-trip form, whole numbers with ".0"
/// (6.0, not 6).
/// Non-finite values are refused: JSON has no number for NaN or ±Infinity, and a null, a string
/// or <c>Infinity.0</c> in its place either lies to every reader or is not JSON (issue 21). The
/// worker's numbers are finite by construction (the parser rejects non-finite features and sums;
/// means cannot overflow, see ScaledSum), so one that is not is a bug, reported as an
/// <see cref="InvalidOperationException"/> naming the field rather than printed.
/// </summary>
internal static class JsonNumbers
{
    /// <exception cref="InvalidOperationException"><paramref name="value"/> is NaN or infinite.</exception>
    public static void WriteDouble(Utf8JsonWriter writer, double value, string field)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> text = stackalloc byte[40];
        var length = Format(value, text, field);
        writer.WriteRawValue(text[..length], skipInputValidation: true);
    }

    /// <summary>Formats into <paramref name="destination"/> (at least 40 bytes) and returns the length.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="value"/> is NaN or infinite.</exception>
    public static int Format(double value, Span<byte> destination, string field)
    {
        RequireFinite(value, field);
        value.TryFormat(destination, out var length, "R", CultureInfo.InvariantCulture);
        if (destination[..length].IndexOfAny(".E"u8) < 0)
        {
            ".0"u8.CopyTo(destination[length..]);
            length += 2;
        }

        return length;
    }

    /// <exception cref="InvalidOperationException"><paramref name="value"/> is NaN or infinite.</exception>
    public static void RequireFinite(double value, string field)
    {
        if (!double.IsFinite(value))
        {
            throw new InvalidOperationException($"'{field}' is {value.ToString(CultureInfo.InvariantCulture)}, which JSON cannot hold as a number");
        }
    }
}
