using System.Globalization;
using BatchJob.Logging;
using Microsoft.Extensions.Logging;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Parsing;

namespace BatchJob.Tests.Logging;

/// <summary>
/// What Serilog.Formatting.Compact's own CompactJsonFormatter writes for a line: the reference the
/// worker's hand-written CLEF layout is held to, byte for byte.
/// </summary>
internal static class SerilogReference
{
    public static string Clef(LogLine line)
    {
        var properties = line.Fields.ToArray().Select(f => new LogEventProperty(f.Name, Value(f))).ToList();
        var template = new MessageTemplateParser().Parse(line.Message);
        var timestamp = new DateTimeOffset(line.Timestamp);
        var logEvent = line.HasSpan
            ? new LogEvent(timestamp, Level(line.Level), null, template, properties, line.TraceId, line.SpanId)
            : new LogEvent(timestamp, Level(line.Level), null, template, properties);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        new CompactJsonFormatter().Format(logEvent, text);
        // As the line reaches stdout: UTF-8, a lone surrogate becoming U+FFFD.
        return System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static LogEventPropertyValue Value(LogField field) => field.Kind switch
    {
        LogFieldKind.Long => new ScalarValue(field.Integer),
        LogFieldKind.Double => new ScalarValue(field.Number),
        LogFieldKind.Bool => new ScalarValue(field.Bool),
        LogFieldKind.String => new ScalarValue(field.String),
        LogFieldKind.Object => new StructureValue(field.Fields.Select(f => new LogEventProperty(f.Name, Value(f)))),
        LogFieldKind.Strings => new SequenceValue(field.Strings.Select(s => new ScalarValue(s))),
        _ => new ScalarValue(null),
    };

    private static LogEventLevel Level(LogLevel level) => level switch
    {
        LogLevel.Trace => LogEventLevel.Verbose,
        LogLevel.Debug => LogEventLevel.Debug,
        LogLevel.Information => LogEventLevel.Information,
        LogLevel.Warning => LogEventLevel.Warning,
        LogLevel.Error => LogEventLevel.Error,
        _ => LogEventLevel.Fatal,
    };
}
