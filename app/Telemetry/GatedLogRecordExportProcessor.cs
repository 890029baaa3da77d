using OpenTelemetry;
using OpenTelemetry.Logs;

namespace BatchJob.Telemetry;

/// <summary>
/// The SDK's batch log record processor behind an <see cref="ExportGate"/>, as
/// <see cref="GatedActivityExportProcessor"/> is for spans: a log record waits at a nearly full queue
/// while the exporter keeps up, and is dropped here (counted like the SDK's own drops) when the
/// exporter is failing or stalled. The gate decides before <c>base.OnEnd</c>, which is where the
/// SDK buffers the record and takes its reference on the pooled LogRecord: a record dropped here
/// was never referenced, so the logger returns it to the pool as it does for any record no batch
/// processor kept.
/// </summary>
internal sealed class GatedLogRecordExportProcessor(BaseExporter<LogRecord> exporter, ExportGate gate, int maxQueueSize, int scheduledDelayMs, int exportTimeoutMs, int maxExportBatchSize)
    : BatchLogRecordExportProcessor(exporter, maxQueueSize, scheduledDelayMs, exportTimeoutMs, maxExportBatchSize)
{
    public override void OnEnd(LogRecord data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (gate.TryAdmit())
        {
            base.OnEnd(data);
        }
    }

    // Before the last export: a line written while it runs, or after, must not wait for it.
    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        gate.Close();
        return base.OnShutdown(timeoutMilliseconds);
    }
}
