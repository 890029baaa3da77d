using System.Globalization;

namespace BatchJob.Configuration;

/// <summary>
/// Parses Kubernetes resource quantities exactly as the API server reads them:
/// <c>250m</c>, <c>0.5</c>, <c>2</c> (CPU) and <c>512Mi</c>, <c>1Gi</c>, <c>500M</c>, <c>128974848</c>, <c>1e3</c> (memory).
/// </summary>
internal static class Quantity
{
    public const string Syntax =
        "a Kubernetes quantity: a number with an optional suffix (n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei) or exponent (e.g. 250m, 0.5, 512Mi, 1Gi, 500M, 1e3)";

    private static readonly System.Buffers.SearchValues<char> NumberChars = System.Buffers.SearchValues.Create("+-.0123456789");

    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024),
        ("Ti", 1024m * 1024 * 1024 * 1024), ("Pi", 1024m * 1024 * 1024 * 1024 * 1024),
        ("Ei", 1024m * 1024 * 1024 * 1024 * 1024 * 1024),
        ("n", 0.000000001m), ("u", 0.000001m), ("m", 0.001m),
        ("k", 1e3m), ("M", 1e6m), ("G", 1e9m), ("T", 1e12m), ("P", 1e15m), ("E", 1e18m),
    ];

    /// <summary>Returns the quantity's value in base units (cores or bytes), or false when it is not a quantity.</summary>
    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        if (string.IsNullOrEmpty(text) || text != text.Trim())
        {
            return false;
        }

        // <signed number><suffix>, as the API server splits it: the number ends at the first
        // character that cannot be in one, and all the rest is the suffix.
        var numberLength = text.AsSpan().IndexOfAnyExcept(NumberChars);
        var number = numberLength < 0 ? text.AsSpan() : text.AsSpan(0, numberLength);
        var suffix = numberLength < 0 ? [] : text.AsSpan(numberLength);

        // The number part: optional sign, digits, optional fraction; nothing else (no spaces, no thousands separators).
        if (!TryFactor(suffix, out var factor) || number.IsEmpty || number.LastIndexOfAny('+', '-') > 0
            || !decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var mantissa))
        {
            return false;
        }

        try
        {
            value = mantissa * factor;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>
    /// A whole suffix: one of the table's, or an exponent (<c>e</c>/<c>E</c> and a signed integer).
    /// "E" alone is exa and "Ei" exbi, as in Kubernetes: an E is an exponent only when a number follows it.
    /// </summary>
    private static bool TryFactor(ReadOnlySpan<char> suffix, out decimal factor)
    {
        factor = 1m;
        if (suffix.IsEmpty)
        {
            return true;
        }

        foreach (var (name, suffixFactor) in Suffixes)
        {
            if (suffix.SequenceEqual(name))
            {
                factor = suffixFactor;
                return true;
            }
        }

        if (suffix[0] is 'e' or 'E'
            && int.TryParse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent)
            && exponent is >= -18 and <= 18)
        {
            factor = Pow10(exponent);
            return true;
        }

        return false;
    }

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < Math.Abs(exponent); i++)
        {
            result *= 10m;
        }

        return exponent >= 0 ? result : 1m / result;
    }
}
