using System.Diagnostics;
using OpenTelemetry;

namespace BatchJob.Telemetry;

/// <summary>
/// The SDK's batch span processor behind an <see cref="ExportGate"/>: a recorded span waits at a
/// nearly full queue while the exporter keeps up, and is dropped here (counted like the SDK's own
/// drops) when the exporter is failing or stalled. A subclass, so the SDK still hands its provider
/// (the resource) to the exporter.
/// </summary>
internal sealed class GatedActivityExportProcessor(BaseExporter<Activity> exporter, ExportGate gate, int maxQueueSize, int scheduledDelayMs, int exportTimeoutMs, int maxExportBatchSize)
    : BatchActivityExportProcessor(exporter, maxQueueSize, scheduledDelayMs, exportTimeoutMs, maxExportBatchSize)
{
    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Recorded && gate.TryAdmit())
        {
            base.OnEnd(data);
        }
    }

    // Before the last export: a span ended while it runs, or after, must not wait for it.
    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        gate.Close();
        return base.OnShutdown(timeoutMilliseconds);
    }
}
