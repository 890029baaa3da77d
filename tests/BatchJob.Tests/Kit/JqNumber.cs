using System.Globalization;

namespace BatchJob.Tests.Kit;

/// <summary>
/// A double as jq 1.6 prints it, so the guide's jq outputs can be recomputed without jq installed.
/// jq 1.6 prints numbers with jvp_dtoa_fmt (its src/jv_dtoa.c, David Gay's g_fmt): the shortest digits
/// that read back as the same double (the digits .NET's "R" finds), in exponent form when the decimal
/// point falls 4 or more places left of the digits or more than 15 places right of them, else plainly:
/// 0.1, 512, 1e-05, 1.9374999999999998e-11, 1e+17. Not "%.17g", which would print 0.1 as 0.10000000000000001.
/// </summary>
internal static class JqNumber
{
    public static string Format(double value)
    {
        if (double.IsNaN(value))
        {
            return "null";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0" : "0";
        }

        // jq prints the infinities as the largest double.
        var (digits, decpt) = ShortestDigits(Math.Min(Math.Abs(value), double.MaxValue));
        var sign = value < 0 ? "-" : string.Empty;
        return sign + (decpt <= -4 || decpt > digits.Length + 15 ? Scientific(digits, decpt, "00") : Plain(digits, decpt));
    }

    /// <summary>Digits and point (as <see cref="ShortestDigits"/> gives them) without an exponent: 0.0045, 512, 10.5.</summary>
    public static string Plain(string digits, int point)
    {
        if (point <= 0)
        {
            return "0." + new string('0', -point) + digits;
        }

        return point >= digits.Length ? digits + new string('0', point - digits.Length) : digits[..point] + "." + digits[point..];
    }

    /// <summary>Digits and point with an exponent, its digits as <paramref name="exponentFormat"/> pads them: 1e-05 ("00"), 1e-5 ("0").</summary>
    public static string Scientific(string digits, int point, string exponentFormat)
    {
        var power = point - 1;
        var fraction = digits.Length > 1 ? "." + digits[1..] : string.Empty;
        return $"{digits[0]}{fraction}e{(power < 0 ? '-' : '+')}{Math.Abs(power).ToString(exponentFormat, CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// The shortest digits that read back as <paramref name="magnitude"/> (positive, finite; the digits .NET's "R"
    /// finds), without leading or trailing zeros, and where the decimal point sits: magnitude = 0.d1d2... x 10^Point.
    /// </summary>
    public static (string Digits, int Point) ShortestDigits(double magnitude)
    {
        var shortest = magnitude.ToString("R", CultureInfo.InvariantCulture);
        var e = shortest.IndexOf('E', StringComparison.Ordinal);
        var exponent = e < 0 ? 0 : int.Parse(shortest[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? shortest : shortest[..e];
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = mantissa.Replace(".", string.Empty, StringComparison.Ordinal);
        var leading = digits.Length - digits.TrimStart('0').Length;
        return (digits[leading..].TrimEnd('0'), (point < 0 ? mantissa.Length : point) + exponent - leading);
    }
}
