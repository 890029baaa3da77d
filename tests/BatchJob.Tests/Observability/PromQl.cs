using System.Text.RegularExpressions;

namespace BatchJob.Tests.Observability;

/// <summary>Just enough PromQL reading for the tests: the metric names an expression selects, and Grafana's variables.</summary>
public static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset", "inf", "nan",
    };

    /// <summary>
    /// The metric names an expression selects: identifiers that are not functions, keywords, label
    /// names (in braces or in by/on/... lists), strings or durations.
    /// </summary>
    public static IReadOnlySet<string> MetricNames(string expr)
    {
        var text = Quoted().Replace(expr, "\"\"");
        text = Braces().Replace(text, "{}");
        text = Brackets().Replace(text, "[]");
        text = LabelList().Replace(text, " ");
        return Identifier().Matches(text)
            .Where(m => !Keywords.Contains(m.Value) && !text[(m.Index + m.Length)..].TrimStart().StartsWith('('))
            .Select(m => m.Value)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The expression with Grafana's built-in interval variables replaced by what Grafana sends, so
    /// promtool can parse it; any other $variable is left, and makes the parse fail.
    /// </summary>
    public static string WithGrafanaVariables(string expr) => expr
        .Replace("$__rate_interval", "1m", StringComparison.Ordinal)
        .Replace("$__interval", "15s", StringComparison.Ordinal)
        .Replace("$__range", "6h", StringComparison.Ordinal);

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex LabelList();

    // Not preceded by a letter, digit, dot or another name character: 0.95 and 1e3 are numbers.
    [GeneratedRegex(@"(?<![A-Za-z0-9_:.])[A-Za-z_:][A-Za-z0-9_:]*")]
    private static partial Regex Identifier();
}
