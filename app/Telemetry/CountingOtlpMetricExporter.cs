using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace BatchJob.Telemetry;

/// <summary>The OTLP metric exporter, counting what it delivered (a subclass for the reason given on <see cref="CountingOtlpTraceExporter"/>).</summary>
/// <param name="delivery">Where every export is counted.</param>
internal sealed class CountingOtlpMetricExporter(OtlpExporterOptions options, DeliveryCounter delivery) : OtlpMetricExporter(options)
{
    public override ExportResult Export(in Batch<Metric> metrics)
    {
        var copy = metrics;
        return delivery.Count(metrics.Count, () => base.Export(copy));
    }
}
