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

        if (TryFormatFewDecimals(value, destination, out var length))
        {
            return length;
        }

        value.TryFormat(destination, out length, "R", CultureInfo.InvariantCulture);
        return length;
    }

    /// <summary>
    /// "R" for numbers with a short exact decimal form (latencies rounded to 4 places; about half
    /// of the bench input's predictions, sums of 3-decimal features) without .NET's shortest-digits
    /// search. The value is scaled by the 10^k that puts it in [10^14, 10^15) and rounded to the
    /// integer n; if n / 10^k (exact operands, correctly rounded: exactly what parsing the text
    /// gives) is the value again, the value has a form of at most 15 digits, and n, less its
    /// trailing zeros, is the shortest one: at that scale one ulp is under 1/4, so no other
    /// integer round-trips, and every form of at most 15 digits is n times a power of ten. So it
    /// is the text "R" prints; JsonNumbersTests holds the two equal over a million values. Zero,
    /// values that need 16 or 17 digits, and those below 1e-4 (E notation) return false.
    /// </summary>
    internal static bool TryFormatFewDecimals(double value, Span<byte> destination, out int length)
    {
        length = 0;
        var magnitude = Math.Abs(value);
        if (!(magnitude >= MinFixed && magnitude < MaxDigitsValue))
        {
            return false;
        }

        var powers = PowersOfTen.AsSpan();
        var k = 0;
        while (magnitude * powers[k] < MaxDigitsValue / 10 && k < powers.Length - 1)
        {
            k++;
        }

        var scaled = (long)((magnitude * powers[k]) + 0.5);
        if (scaled / powers[k] != magnitude)
        {
            return false;
        }

        for (; k > 0 && scaled % 10 == 0; k--)
        {
            scaled /= 10;
        }

        if (value < 0)
        {
            destination[length++] = (byte)'-';
        }

        Span<byte> digits = stackalloc byte[20];
        scaled.TryFormat(digits, out var count, default, CultureInfo.InvariantCulture);
        var whole = count - k;
        if (whole > 0)
        {
            digits[..whole].CopyTo(destination[length..]);
            length += whole;
        }
        else
        {
            destination[length++] = (byte)'0';
        }

        if (k > 0)
        {
            destination[length++] = (byte)'.';
            for (; whole < 0; whole++)
            {
                destination[length++] = (byte)'0';
            }

            digits[whole..count].CopyTo(destination[length..]);
            length += count - whole;
        }

        return true;
    }

    // "R" prints 0.0001 as such and 0.00001 as 1E-05.
    private const double MinFixed = 1e-4;

    // 15 digits: below this one ulp at the scaled value is under 1/4, so one integer at most round-trips.
    private const double MaxDigitsValue = 1e15;

    // Up to 10^18, which scales 1e-4 to 10^14; every one exact in a double.
    // An array, not a ReadOnlySpan<double> property: in the Debug build the tests run, that allocated 72 bytes a call.
    private static readonly double[] PowersOfTen = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18];
}
