using BatchJob.Telemetry;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;

namespace BatchJob.Tests.Telemetry;

/// <summary>
/// A real OpenTelemetry logger whose only processors are the worker's own: the ended-record
/// counter, then the gated batch processor in front of a <see cref="HeldLogExporter"/>.
/// </summary>
internal sealed class GatedLogPipeline : IDisposable
{
    private static readonly Action<ILogger, int, Exception?> RecordLine = LoggerMessage.Define<int>(LogLevel.Information, default, "record {N}");
    private readonly ILoggerFactory _factory;
    private readonly ILogger _logger;

    private GatedLogPipeline(ILoggerFactory factory, EndedLogCounter ended, GatedLogRecordExportProcessor processor)
    {
        _factory = factory;
        _logger = factory.CreateLogger("test");
        Ended = ended;
        Processor = processor;
    }

    public EndedLogCounter Ended { get; }

    public GatedLogRecordExportProcessor Processor { get; }

    /// <param name="queue">The export queue's size; the export batch is the gate's high-water mark, as the worker caps it.</param>
    /// <param name="hangMs">The test's hang ceiling: the scheduled delay is ten times that, so an export starts only when a full batch is queued, or on a flush.</param>
    public static GatedLogPipeline Start(HeldLogExporter exporter, ExportGate gate, int queue, int hangMs)
    {
        var ended = new EndedLogCounter();
        var processor = new GatedLogRecordExportProcessor(exporter, gate, queue, scheduledDelayMs: 10 * hangMs, exportTimeoutMs: hangMs, maxExportBatchSize: ExportGate.HighWaterMark(queue));
        var factory = LoggerFactory.Create(logging => logging.AddOpenTelemetry(options => options.AddProcessor(ended).AddProcessor(processor)));
        return new GatedLogPipeline(factory, ended, processor);
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
    public SignalDelivery Delivery(HeldLogExporter exporter) => new(Ended.Ended, exporter.Delivery.Exported, exporter.Delivery.Failed);

    public void Dispose() => _factory.Dispose();
}
