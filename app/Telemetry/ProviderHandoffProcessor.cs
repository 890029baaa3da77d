using OpenTelemetry;
using OpenTelemetry.Logs;

namespace BatchJob.Telemetry;

/// <summary>
/// A processor that exports nothing: registered with the logger provider, it makes the SDK give
/// that provider (and so the resource) to <paramref name="exporter"/>, which another exporter wraps.
/// It disposes the exporter at the end; shutting it down is the wrapper's job (see <see cref="CountingOtlpLogExporter"/>).
/// </summary>
internal sealed class ProviderHandoffProcessor(BaseExporter<LogRecord> exporter) : BaseExportProcessor<LogRecord>(exporter)
{
    protected override void OnExport(LogRecord data)
    {
    }

    protected override bool OnShutdown(int timeoutMilliseconds) => true;
}
