using BatchJob.Telemetry;

namespace BatchJob.Tests.Telemetry;

/// <summary>
/// The log record export processor behind its <see cref="ExportGate"/>, driven through a real
/// OpenTelemetry logger against an exporter the test holds and releases: a waiting producer is seen
/// through <see cref="ExportGate.Waits"/> and what reached the exporter is counted, never timed.
/// </summary>
public sealed class GatedExportProcessorTests
{
    private const int Queue = 8; // high-water mark 6, also the export batch size, as the worker caps it
    private const int Records = 50;
    private const int HangMs = 60_000; // only catches a hang: every wait here ends by what the test does

    [Fact]
    public async Task A_producer_waits_for_a_succeeding_exporter_at_the_high_water_mark_and_no_record_is_dropped()
    {
        // The gate's own wait bound is twice the test's hang ceiling: only exports end its waits.
        var gate = new ExportGate(Queue, 2 * HangMs);
        using var exporter = new HeldLogExporter(gate);
        using var pipeline = GatedLogPipeline.Start(exporter, gate, Queue, HangMs);

        var producer = Task.Run(() => pipeline.Log(1, Records));
        SpinWait.SpinUntil(() => gate.Waits == 1 || producer.IsCompleted, HangMs);
        producer.IsCompleted.Should().BeFalse("the first export is held, so the producer must wait at 6 queued records");
        gate.Waits.Should().Be(1);

        exporter.Allow(1);
        SpinWait.SpinUntil(() => gate.Waits == 2 || producer.IsCompleted, HangMs);
        gate.Waits.Should().Be(2, "after a successful export the producer refilled the queue and waited again");
        exporter.Delivery.LastExportSucceeded.Should().BeTrue();

        exporter.Open();
        await producer.WaitAsync(TimeSpan.FromMilliseconds(HangMs));
        pipeline.Processor.ForceFlush(HangMs).Should().BeTrue();

        exporter.Received.Should().BeEquivalentTo(Enumerable.Range(1, Records).Select(i => (long)i), "every record reached the exporter, none dropped");
        pipeline.Delivery().Dropped.Should().Be(0);
        pipeline.Dropped.GetMeasurementSnapshot().Should().BeEmpty("nothing was dropped, so batch_telemetry_dropped was never added to");
    }

    [Fact]
    public async Task While_the_exporter_fails_nothing_waits_and_the_records_the_queue_cannot_hold_are_dropped_and_counted()
    {
        var gate = new ExportGate(Queue, 2 * HangMs);
        using var exporter = new HeldLogExporter(gate) { Fail = true };
        using var pipeline = GatedLogPipeline.Start(exporter, gate, Queue, HangMs);
        exporter.Allow(1);
        pipeline.Log(0, 1);
        pipeline.Processor.ForceFlush(HangMs).Should().BeTrue();
        exporter.Delivery.LastExportSucceeded.Should().BeFalse("the collector is down");

        // The next export is held (and will fail): were the producer to wait, only the hang
        // ceiling would end it.
        await Task.Run(() => pipeline.Log(1, Records)).WaitAsync(TimeSpan.FromMilliseconds(HangMs));
        gate.Waits.Should().Be(0);

        exporter.Open();
        pipeline.Processor.ForceFlush(HangMs).Should().BeTrue();
        // The gate admitted what the queue of 8 can hold, counting the held export's records
        // among them, and dropped the rest itself; the SDK's queue never overflowed behind it.
        exporter.Received.Should().HaveCount(1 + Queue);
        gate.Pending.Should().Be(0, "every record the gate admitted was exported (and failed)");
        var delivery = pipeline.Delivery();
        delivery.Dropped.Should().Be(Records - Queue);
        delivery.Failed.Should().Be(1 + Queue);
        delivery.Ended.Should().Be(1 + Records, "every record logged was admitted or dropped");
        var metric = pipeline.Dropped.GetMeasurementSnapshot();
        metric.Sum(m => m.Value).Should().Be(Records - Queue, "each dropped record is counted on batch_telemetry_dropped for alerting");
        metric.Should().OnlyContain(m => m.Tags.Count == 1 && (string?)m.Tags["signal"] == "logs");
    }

    [Fact]
    public async Task Closing_the_gate_releases_a_waiting_producer_and_nothing_logged_during_the_last_flush_waits()
    {
        var gate = new ExportGate(Queue, 2 * HangMs);
        using var exporter = new HeldLogExporter(gate);
        using var pipeline = GatedLogPipeline.Start(exporter, gate, Queue, HangMs);
        exporter.Allow(1);
        pipeline.Log(0, 1);
        pipeline.Processor.ForceFlush(HangMs).Should().BeTrue();
        exporter.Delivery.LastExportSucceeded.Should().BeTrue("a healthy exporter: the producer would wait for it");

        var producer = Task.Run(() => pipeline.Log(1, Records));
        SpinWait.SpinUntil(() => gate.Waits == 1 || producer.IsCompleted, HangMs);
        gate.Waits.Should().Be(1, "the next export is held and the queue reached its high-water mark");

        // As TelemetryPipeline.StopWaiting does before the providers shut down. The processor's
        // shutdown waits for the held export (until the test releases it), so on its own thread.
        gate.Close();
        var shutdown = Task.Run(() => pipeline.Processor.Shutdown(HangMs));
        await producer.WaitAsync(TimeSpan.FromMilliseconds(HangMs));
        // The producer went on while the next export is held (it is released only below). On a busy
        // machine the export thread may call Export only now: seen once in ten busy-core runs.
        SpinWait.SpinUntil(() => exporter.Started == 2, HangMs).Should().BeTrue("the second export is under way, held until the test opens it");
        pipeline.Log(Records + 1, 20);
        gate.Waits.Should().Be(1, "nothing waits once the gate is closed");

        exporter.Open();
        (await shutdown.WaitAsync(TimeSpan.FromMilliseconds(HangMs))).Should().BeTrue();
    }
}
