using System.Text.Json;
using Serilog.Events;

namespace BatchJob.Logging;

/// <summary>How one log event becomes one JSON object on stdout.</summary>
public interface IJsonLogLayout
{
    void Write(LogEvent logEvent, Utf8JsonWriter writer);
}
