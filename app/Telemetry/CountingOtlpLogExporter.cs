using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;

namespace BatchJob.Telemetry;

/// <summary>
/// The OTLP log exporter, counting what it delivered. <see cref="OtlpLogExporter"/> is sealed, so
/// unlike the trace and metric exporters this one wraps it; and since the SDK hands its provider
/// (with the resource: service.name ...) only to the exporter of a processor it was given, the
/// wrapped exporter gets it from <see cref="ProviderHandoff"/>, registered after the batch processor.
/// </summary>
internal sealed class CountingOtlpLogExporter : BaseExporter<LogRecord>
{
    private readonly OtlpLogExporter _otlp;
    private readonly DeliveryCounter _delivery;

    /// <param name="delivery">Where every export is counted (the log gate's).</param>
    public CountingOtlpLogExporter(OtlpExporterOptions options, DeliveryCounter delivery)
    {
        _otlp = new OtlpLogExporter(options);
        ProviderHandoff = new ProviderHandoffProcessor(_otlp);
        _delivery = delivery;
    }

    /// <summary>Exports nothing; owns the wrapped exporter, which through it receives the provider.</summary>
    public BaseProcessor<LogRecord> ProviderHandoff { get; }

    public override ExportResult Export(in Batch<LogRecord> batch)
    {
        var copy = batch;
        return _delivery.Count(batch.Count, () => _otlp.Export(copy));
    }

    protected override bool OnForceFlush(int timeoutMilliseconds) => _otlp.ForceFlush(timeoutMilliseconds);

    // Right after the batch processor's last export; the handoff processor does not shut it down again.
    protected override bool OnShutdown(int timeoutMilliseconds) => _otlp.Shutdown(timeoutMilliseconds);
}
