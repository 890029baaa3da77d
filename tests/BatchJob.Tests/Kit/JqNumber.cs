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
        var magnitude = Math.Min(Math.Abs(value), double.MaxValue);
        var shortest = magnitude.ToString("R", CultureInfo.InvariantCulture);
        var e = shortest.IndexOf('E', StringComparison.Ordinal);
        var exponent = e < 0 ? 0 : int.Parse(shortest[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? shortest : shortest[..e];
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = mantissa.Replace(".", string.Empty, StringComparison.Ordinal);

        // decpt: where the decimal point sits relative to the first digit (digits = 0.d1d2... x 10^decpt).
        var decpt = (point < 0 ? mantissa.Length : point) + exponent;
        var leading = digits.Length - digits.TrimStart('0').Length;
        digits = digits[leading..].TrimEnd('0');
        decpt -= leading;

        var sign = value < 0 ? "-" : string.Empty;
        if (decpt <= -4 || decpt > digits.Length + 15)
        {
            var power = decpt - 1;
            var fraction = digits.Length > 1 ? "." + digits[1..] : string.Empty;
            return $"{sign}{digits[0]}{fraction}e{(power < 0 ? '-' : '+')}{Math.Abs(power).ToString("00", CultureInfo.InvariantCulture)}";
        }

        if (decpt <= 0)
        {
            return sign + "0." + new string('0', -decpt) + digits;
        }

        return decpt >= digits.Length
            ? sign + digits + new string('0', decpt - digits.Length)
            : sign + digits[..decpt] + "." + digits[decpt..];
    }
}
