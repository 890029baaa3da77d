using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry;

namespace BatchJob.Telemetry;

/// <summary>
/// The SDK's batch span processor behind an <see cref="ExportGate"/>: a recorded span waits at a
/// nearly full queue while the exporter keeps up, and is dropped when the exporter is failing or
/// stalled: counted by the gate for the run's WARN, and on <paramref name="dropped"/>
/// (batch_telemetry_dropped, signal=spans) for alerting. A subclass, so the SDK still hands its
/// provider (the resource) to the exporter.
/// </summary>
internal sealed class GatedActivityExportProcessor(BaseExporter<Activity> exporter, ExportGate gate, Counter<long> dropped, int maxQueueSize, int scheduledDelayMs, int exportTimeoutMs, int maxExportBatchSize)
    : BatchActivityExportProcessor(exporter, maxQueueSize, scheduledDelayMs, exportTimeoutMs, maxExportBatchSize)
{
    private static readonly KeyValuePair<string, object?> Signal = new("signal", "spans");

    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!data.Recorded)
        {
            return;
        }

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
