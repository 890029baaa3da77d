using Serilog.Core;
using Serilog.Events;

namespace BatchJob.Logging;

/// <summary>Adds a line's fields, in order, to the event Serilog creates for it (which carries the current span's ids).</summary>
internal sealed class FieldsEnricher(IEnumerable<LogEventProperty> fields) : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        foreach (var field in fields)
        {
            logEvent.AddPropertyIfAbsent(field);
        }
    }
}
