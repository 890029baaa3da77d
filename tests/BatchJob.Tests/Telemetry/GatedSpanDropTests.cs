using System.Diagnostics;
using BatchJob.Telemetry;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OpenTelemetry;

namespace BatchJob.Tests.Telemetry;

/// <summary>
/// The span export processor behind its <see cref="ExportGate"/>: a span the gate drops is counted
/// on batch_telemetry_dropped with signal=spans, as a log record is with signal=logs
/// (<see cref="GatedExportProcessorTests"/>).
/// </summary>
public sealed class GatedSpanDropTests
{
    private const int Queue = 8;
    private const int Spans = 20;
    private const int HangMs = 60_000; // only catches a hang

    [Fact]
    public void Spans_the_queue_cannot_hold_while_the_exporter_fails_are_dropped_and_counted_on_batch_telemetry_dropped()
    {
        var gate = new ExportGate(Queue, HangMs);
        // The collector is down: the latest export failed, so nothing waits.
        gate.Delivery.Count(0, () => ExportResult.Failure);
        using var exporter = new HeldSpanExporter(gate);
        using var telemetry = new BatchTelemetry();
        using var dropped = new MetricCollector<long>(telemetry.TelemetryDropped);
        using var processor = new GatedActivityExportProcessor(exporter, gate, telemetry.TelemetryDropped, Queue, scheduledDelayMs: 10 * HangMs, exportTimeoutMs: HangMs, maxExportBatchSize: ExportGate.HighWaterMark(Queue));

        for (var i = 0; i < Spans; i++)
        {
            using var span = new Activity("process_record") { ActivityTraceFlags = ActivityTraceFlags.Recorded };
            span.Start().Stop();
            processor.OnEnd(span);
        }

        // The held export keeps what it took; the gate admitted the queue's 8 and dropped the rest.
        gate.Dropped.Should().Be(Spans - Queue);
        var measurements = dropped.GetMeasurementSnapshot();
        measurements.Sum(m => m.Value).Should().Be(Spans - Queue, "each dropped span is counted for alerting");
        measurements.Should().OnlyContain(m => m.Tags.Count == 1 && (string?)m.Tags["signal"] == "spans");
        gate.Snapshot().Ended.Should().Be(Spans, "every recorded span was admitted or dropped");
        exporter.Release();
    }

    /// <summary>Holds every export until released, then fails it, reporting to the gate as the OTLP exporter does.</summary>
    /// <remarks>
    /// A task, not a disposable event: the processor's export thread can start one more export
    /// after the test has disposed the exporter (the queue still holds spans), and waiting on a
    /// disposed event there crashed the whole test host.
    /// </remarks>
    private sealed class HeldSpanExporter(ExportGate gate) : BaseExporter<Activity>
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _released.TrySetResult();

        public override ExportResult Export(in Batch<Activity> batch)
        {
            _released.Task.Wait(HangMs);
            return gate.Delivery.Count(batch.Count, () => ExportResult.Failure);
        }

        protected override void Dispose(bool disposing)
        {
            _released.TrySetResult();
            base.Dispose(disposing);
        }
    }
}
