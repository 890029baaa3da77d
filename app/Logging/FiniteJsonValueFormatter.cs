using Serilog.Formatting.Json;

namespace BatchJob.Logging;

/// <summary>
/// The CLEF layout's value formatter: Serilog's own (doubles as "R", so its bytes stay the
/// reference), except that a non-finite double is refused by <see cref="JsonNumbers"/> instead of
/// being written as the string <c>"Infinity"</c>, which a reader would take for a value.
/// </summary>
internal sealed class FiniteJsonValueFormatter() : JsonValueFormatter(typeTagName: "$type")
{
    protected override void FormatLiteralValue(object? value, TextWriter output)
    {
        switch (value)
        {
            case double number:
                JsonNumbers.RequireFinite(number, "a CLEF property");
                break;
            case float number:
                JsonNumbers.RequireFinite(number, "a CLEF property");
                break;
        }

        base.FormatLiteralValue(value, output);
    }
}
