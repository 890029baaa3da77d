using System.Globalization;

namespace BatchJob.Tests.Kit;

/// <summary>
/// What the collector's <c>debug</c> exporter prints for a value (exporter/debugexporter/internal/otlptext:
/// <c>-> key: Type(value)</c>, the value by pdata's <c>Value.AsString</c>): <c>Int(1)</c>, <c>Double(0.0045)</c>,
/// <c>Double(2.8124999999999997e-11)</c>, <c>Str(lab)</c>, <c>Bool(true)</c>; a severity number as <c>Info(9)</c>.
/// </summary>
internal static class DebugExporterText
{
    /// <summary>An attribute line of a span or a log record.</summary>
    public static string Attribute(string key, object? value) => $"     -> {key}: {Value(value)}";

    public static string Value(object? value) => value switch
    {
        long integer => $"Int({integer.ToString(CultureInfo.InvariantCulture)})",
        double number => $"Double({Double(number)})",
        string text => $"Str({text})",
        bool flag => flag ? "Bool(true)" : "Bool(false)",
        _ => throw new NotSupportedException($"no debug exporter text for {value?.GetType().Name ?? "null"} here"),
    };

    /// <summary>
    /// pdata's float64AsString, ES6's number to string: the shortest digits, plainly from 1e-6 up to 1e21,
    /// else with an exponent that is not padded (1e-7, 2.5e-11).
    /// </summary>
    public static string Double(double value)
    {
        if (value == 0 || !double.IsFinite(value))
        {
            return value == 0 ? "0" : throw new NotSupportedException("pdata prints non-finite doubles as an error text");
        }

        var magnitude = Math.Abs(value);
        var (digits, point) = JqNumber.ShortestDigits(magnitude);
        var text = magnitude is < 1e-6 or >= 1e21 ? JqNumber.Scientific(digits, point, "0") : JqNumber.Plain(digits, point);
        return value < 0 ? "-" + text : text;
    }

    /// <summary>pdata's SeverityNumber names: 1 Trace, 2 Trace2 ... 9 Info, 13 Warn, 17 Error, 21 Fatal, with the number.</summary>
    public static string Severity(int number)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, 24);
        string[] names = ["Trace", "Debug", "Info", "Warn", "Error", "Fatal"];
        var step = (number - 1) % 4;
        return $"{names[(number - 1) / 4]}{(step == 0 ? string.Empty : (step + 1).ToString(CultureInfo.InvariantCulture))}({number.ToString(CultureInfo.InvariantCulture)})";
    }
}
