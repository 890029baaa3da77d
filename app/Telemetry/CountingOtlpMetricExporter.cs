using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace BatchJob.Telemetry;

/// <summary>The OTLP metric exporter, counting what it delivered (a subclass for the reason given on <see cref="CountingOtlpTraceExporter"/>).</summary>
internal sealed class CountingOtlpMetricExporter(OtlpExporterOptions options) : OtlpMetricExporter(options)
{
    public DeliveryCounter Delivery { get; } = new();

    public override ExportResult Export(in Batch<Metric> metrics)
    {
        var copy = metrics;
        return Delivery.Count(metrics.Count, () => base.Export(copy));
    }
}
