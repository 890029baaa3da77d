using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;

namespace BatchJob.Telemetry;

/// <summary>
/// The OTLP trace exporter, counting what it delivered. A subclass, not a wrapper: the SDK hands
/// its provider (and with it the resource: service.name, process.pid ...) only to the exporter it
/// was given, so an exporter wrapped inside another would send every span with an empty resource.
/// </summary>
/// <param name="gate">The backpressure in front of this exporter's queue, told of every export.</param>
internal sealed class CountingOtlpTraceExporter(OtlpExporterOptions options, ExportGate? gate = null) : OtlpTraceExporter(options)
{
    public DeliveryCounter Delivery { get; } = new(gate);

    public override ExportResult Export(in Batch<Activity> activityBatch)
    {
        var copy = activityBatch;
        return Delivery.Count(activityBatch.Count, () => base.Export(copy));
    }
}
