using System.Text.Json;

namespace BatchJob.Logging;

/// <summary>The record's own fields, shared by both layouts' per-record line, in the order BatchLog adds them.</summary>
internal static class RecordFields
{
    public static void Write(in RecordLine line, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (line.Id.Text is { } text)
        {
            writer.WriteString("id"u8, text);
        }
        else
        {
            writer.WriteNumber("id"u8, line.Id.Number);
        }

        writer.WritePropertyName("prediction"u8);
        JsonNumbers.WriteDouble(writer, line.Prediction, "prediction");
        writer.WritePropertyName("latency_ms"u8);
        JsonNumbers.WriteDouble(writer, line.LatencyMs, "latency_ms");
        if (line.CostUsd is { } cost)
        {
            writer.WritePropertyName("cost_usd"u8);
            JsonNumbers.WriteDouble(writer, cost, "cost_usd");
        }
    }
}
