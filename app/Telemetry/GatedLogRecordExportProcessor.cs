using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace BatchJob.Telemetry;

/// <summary>
/// The SDK's batch log record processor behind an <see cref="ExportGate"/>, as
/// <see cref="GatedActivityExportProcessor"/> is for spans: a log record waits at a nearly full queue
/// while the exporter keeps up, and is dropped when the exporter is failing or stalled: counted by
/// the gate, and on <paramref name="dropped"/> (batch_telemetry_dropped, signal=logs). The gate decides before <c>base.OnEnd</c>, which is where the
/// SDK buffers the record and takes its reference on the pooled LogRecord: a record dropped here
/// was never referenced, so the logger returns it to the pool as it does for any record no batch
/// processor kept.
/// </summary>
internal sealed class GatedLogRecordExportProcessor(BaseExporter<LogRecord> exporter, ExportGate gate, Counter<long> dropped, int maxQueueSize, int scheduledDelayMs, int exportTimeoutMs, int maxExportBatchSize)
    : BatchLogRecordExportProcessor(exporter, maxQueueSize, scheduledDelayMs, exportTimeoutMs, maxExportBatchSize)
{
    private static readonly KeyValuePair<string, object?> Signal = new("signal", "logs");

    public override void OnEnd(LogRecord data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (gate.TryAdmit())
        {
            base.OnEnd(data);
        }
        else
        {
            dropped.Add(1, Signal);
        }
    }
}
