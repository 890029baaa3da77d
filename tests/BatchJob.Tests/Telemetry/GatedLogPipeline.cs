using BatchJob.Telemetry;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;

namespace BatchJob.Tests.Telemetry;

/// <summary>
/// A real OpenTelemetry logger whose only processor is the worker's own: the gated batch processor
/// in front of a <see cref="HeldLogExporter"/>, counting its drops on a real
/// <see cref="BatchTelemetry.TelemetryDropped"/>, which <see cref="Dropped"/> collects.
/// </summary>
internal sealed class GatedLogPipeline : IDisposable
{
    private static readonly Action<ILogger, int, Exception?> RecordLine = LoggerMessage.Define<int>(LogLevel.Information, default, "record {N}");
    private readonly ILoggerFactory _factory;
    private readonly ILogger _logger;
    private readonly BatchTelemetry _telemetry;
    private readonly ExportGate _gate;

    private GatedLogPipeline(ILoggerFactory factory, BatchTelemetry telemetry, ExportGate gate, GatedLogRecordExportProcessor processor)
    {
        _factory = factory;
        _logger = factory.CreateLogger("test");
        _telemetry = telemetry;
        _gate = gate;
        Processor = processor;
        Dropped = new MetricCollector<long>(telemetry.TelemetryDropped);
    }

    public GatedLogRecordExportProcessor Processor { get; }

    /// <summary>What the processor added to batch_telemetry_dropped.</summary>
    public MetricCollector<long> Dropped { get; }

    /// <param name="queue">The export queue's size; the export batch is the gate's high-water mark, as the worker caps it.</param>
    /// <param name="hangMs">The test's hang ceiling: the scheduled delay is ten times that, so an export starts only when a full batch is queued, or on a flush.</param>
    public static GatedLogPipeline Start(HeldLogExporter exporter, ExportGate gate, int queue, int hangMs)
    {
        var telemetry = new BatchTelemetry();
        var processor = new GatedLogRecordExportProcessor(exporter, gate, telemetry.TelemetryDropped, queue, scheduledDelayMs: 10 * hangMs, exportTimeoutMs: hangMs, maxExportBatchSize: ExportGate.HighWaterMark(queue));
        var factory = LoggerFactory.Create(logging => logging.AddOpenTelemetry(options => options.AddProcessor(processor)));
        return new GatedLogPipeline(factory, telemetry, gate, processor);
    }

    /// <summary>Logs records <paramref name="first"/> .. first + count - 1, each with its number as attribute N.</summary>
    public void Log(int first, int count)
    {
        for (var n = first; n < first + count; n++)
        {
            RecordLine(_logger, n, null);
        }
    }

    /// <summary>What the run would report for these records, as the worker computes it.</summary>
    public SignalDelivery Delivery() => _gate.Snapshot();

    public void Dispose()
    {
        _factory.Dispose();
        Dropped.Dispose();
        _telemetry.Dispose();
    }
}
