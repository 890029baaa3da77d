using System.Text.Json;
using Serilog.Events;

namespace BatchJob.Logging;

/// <summary>How one log event becomes one JSON object on stdout.</summary>
internal interface IJsonLogLayout
{
    void Write(LogEvent logEvent, Utf8JsonWriter writer);

    /// <summary>The "Record processed" line, byte for byte what <see cref="Write"/> gives for the same event.</summary>
    void WriteRecordProcessed(in RecordLine line, Utf8JsonWriter writer);
}
