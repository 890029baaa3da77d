using Microsoft.Extensions.Logging;
using Serilog.Core;
using Serilog.Events;

namespace BatchJob.Logging;

/// <summary>
/// Sends every log line to OpenTelemetry's logging provider as well, so the collector gets the
/// lines stdout shows as LogRecords: body the message, fields as attributes with their JSON types
/// (the summary's as <c>summary.total_records</c> ...), and the trace and span id of the span
/// current when the line was written (the SDK reads <see cref="System.Diagnostics.Activity.Current"/>;
/// Serilog runs its sinks on the writing thread).
/// </summary>
internal sealed class OtlpLogBridge(ILogger logger) : ILogEventSink
{
    private const string MessageKey = "{OriginalFormat}";

    // One per run, reused for every record: the SDK copies the attributes out when it queues the LogRecord.
    private readonly RecordLogState _record = new();

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        var level = Level(logEvent.Level);
        if (!logger.IsEnabled(level))
        {
            return;
        }

        var attributes = new List<KeyValuePair<string, object?>>(logEvent.Properties.Count + 1);
        foreach (var (name, value) in logEvent.Properties)
        {
            Add(attributes, name, value);
        }

        // The SDK makes this the LogRecord's body.
        attributes.Add(new(MessageKey, logEvent.MessageTemplate.Text));
        logger.Log(level, default, attributes, logEvent.Exception, static (_, _) => string.Empty);
    }

    /// <summary>The record line's LogRecord, from the same fields as the stdout line.</summary>
    public void EmitRecordProcessed(in RecordLine line)
    {
        _record.Set(line);
        logger.Log(LogLevel.Information, default, _record, null, static (_, _) => string.Empty);
    }

    private static void Add(List<KeyValuePair<string, object?>> attributes, string name, LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: null }:
                break;
            case ScalarValue scalar:
                attributes.Add(new(name, scalar.Value));
                break;
            case StructureValue structure:
                foreach (var property in structure.Properties)
                {
                    Add(attributes, name + "." + property.Name, property.Value);
                }

                break;
            case SequenceValue sequence:
                attributes.Add(new(name, sequence.Elements.Select(e => e is ScalarValue s ? s.Value?.ToString() : e.ToString()).ToArray()));
                break;
            default:
                attributes.Add(new(name, value.ToString()));
                break;
        }
    }

    private static LogLevel Level(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => LogLevel.Trace,
        LogEventLevel.Debug => LogLevel.Debug,
        LogEventLevel.Information => LogLevel.Information,
        LogEventLevel.Warning => LogLevel.Warning,
        LogEventLevel.Error => LogLevel.Error,
        _ => LogLevel.Critical,
    };
}
