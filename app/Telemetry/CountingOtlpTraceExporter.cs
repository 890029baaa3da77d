using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;

namespace BatchJob.Telemetry;

/// <summary>
/// The OTLP trace exporter, counting what it delivered. A subclass, not a wrapper: the SDK hands
/// its provider (and with it the resource: service.name, process.pid ...) only to the exporter it
/// was given, so an exporter wrapped inside another would send every span with an empty resource.
/// </summary>
/// <param name="delivery">Where every export is counted (the span gate's).</param>
internal sealed class CountingOtlpTraceExporter(OtlpExporterOptions options, DeliveryCounter delivery) : OtlpTraceExporter(options)
{
    public override ExportResult Export(in Batch<Activity> activityBatch)
    {
        var copy = activityBatch;
        return delivery.Count(activityBatch.Count, () => base.Export(copy));
    }
}
