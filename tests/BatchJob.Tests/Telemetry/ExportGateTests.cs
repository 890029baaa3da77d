using System.Net;
using System.Net.Sockets;
using BatchJob.Telemetry;
using OpenTelemetry;

namespace BatchJob.Tests.Telemetry;

/// <summary>
/// The backpressure in front of an export queue (spans, log records), driven step by step: the exporter's
/// progress is simulated by counting exports on the gate's <see cref="ExportGate.Delivery"/>, and a waiting producer is observed
/// through <see cref="ExportGate.Waits"/>, never through elapsed time.
/// </summary>
public sealed class ExportGateTests
{
    private const int Capacity = 8; // high-water mark 6
    private const int NoTimeout = 60_000; // only catches a hang: every wait here ends by an export

    [Fact]
    public void Below_the_high_water_mark_every_item_is_admitted_without_waiting()
    {
        var gate = new ExportGate(Capacity, NoTimeout);

        Enumerable.Range(0, 6).Select(_ => gate.TryAdmit()).ToList().Should().AllBeEquivalentTo(true);

        gate.Pending.Should().Be(6);
        gate.Waits.Should().Be(0);
        ExportGate.HighWaterMark(Capacity).Should().Be(6);
        ExportGate.HighWaterMark(2048).Should().Be(1536);
        ExportGate.HighWaterMark(1).Should().Be(1);
    }

    [Fact]
    public async Task At_the_high_water_mark_the_producer_waits_for_an_exporter_that_has_not_failed_and_goes_on_when_it_delivers()
    {
        var gate = new ExportGate(Capacity, NoTimeout);
        Fill(gate, 6);

        var producer = Task.Run(gate.TryAdmit);
        // Waits is counted inside the gate's lock, before the wait releases it, so once it reads 1
        // the export below cannot slip in before the producer waits.
        SpinWait.SpinUntil(() => gate.Waits == 1, NoTimeout).Should().BeTrue("the producer must wait at a nearly full queue");
        producer.IsCompleted.Should().BeFalse();

        Finish(gate, 6, succeeded: true);

        (await producer.WaitAsync(TimeSpan.FromMilliseconds(NoTimeout))).Should().BeTrue("the export made room");
        gate.Pending.Should().Be(1);
        gate.Waits.Should().Be(1);
    }

    [Fact]
    public async Task A_waiting_producer_stops_waiting_when_the_exporter_fails_and_the_queue_still_has_room()
    {
        var gate = new ExportGate(Capacity, NoTimeout);
        Fill(gate, 6);
        var producer = Task.Run(gate.TryAdmit);
        SpinWait.SpinUntil(() => gate.Waits == 1, NoTimeout).Should().BeTrue();

        Finish(gate, 0, succeeded: false);

        (await producer.WaitAsync(TimeSpan.FromMilliseconds(NoTimeout))).Should().BeTrue("6 pending leave two places in a queue of 8");
        gate.TryAdmit().Should().BeTrue("the last place, without waiting for a failing exporter");
        gate.TryAdmit().Should().BeFalse("the queue is full and the collector is down: dropped");
        gate.Pending.Should().Be(Capacity);
        gate.Waits.Should().Be(1);
    }

    [Fact]
    public void While_the_last_export_failed_nothing_waits_and_what_the_queue_cannot_hold_is_dropped()
    {
        var gate = new ExportGate(Capacity, NoTimeout);
        gate.TryAdmit().Should().BeTrue();
        Finish(gate, 1, succeeded: false);

        var admitted = Enumerable.Range(0, 20).Count(_ => gate.TryAdmit());

        admitted.Should().Be(Capacity, "the queue holds 8 and the collector is down: the rest are dropped");
        gate.Pending.Should().Be(Capacity);
        gate.Waits.Should().Be(0);
    }

    [Fact]
    public void A_wait_that_times_out_marks_the_exporter_stalled_until_an_export_succeeds()
    {
        // A zero timeout: the wait ends at once, as a stuck exporter's wait ends at the export timeout.
        var gate = new ExportGate(Capacity, waitTimeoutMs: 0);
        Fill(gate, 6);

        Enumerable.Range(0, 20).Count(_ => gate.TryAdmit()).Should().Be(2, "after the wait only the queue's free places are admitted");
        gate.Waits.Should().Be(1, "a stalled exporter is waited for once, not once per item");

        Finish(gate, 4, succeeded: true);
        Fill(gate, 2);
        gate.Waits.Should().Be(1, "below the high-water mark nothing waits");
        gate.TryAdmit().Should().BeTrue();
        gate.Waits.Should().Be(2, "an exporter that delivered again is waited for again");
    }

    [Fact]
    public async Task Close_releases_a_producer_waiting_for_a_succeeding_exporter()
    {
        // The wait's own bound is twice the test's hang ceiling, so only Close can end it in time.
        var gate = new ExportGate(Capacity, 2 * NoTimeout);
        Fill(gate, 6);
        Finish(gate, 0, succeeded: true);
        var producer = Task.Run(gate.TryAdmit);
        SpinWait.SpinUntil(() => gate.Waits == 1, NoTimeout).Should().BeTrue("the exporter is succeeding, so the producer waits");

        gate.Close();

        (await producer.WaitAsync(TimeSpan.FromMilliseconds(NoTimeout))).Should().BeTrue("6 pending leave two places in a queue of 8");
        gate.Pending.Should().Be(7);
    }

    [Fact]
    public void After_Close_nothing_waits_even_for_a_succeeding_exporter_and_what_does_not_fit_is_dropped()
    {
        // A succeeding exporter at the high-water mark: an open gate would wait here (until its
        // timeout, then count the wait), a closed one never does.
        var gate = new ExportGate(Capacity, NoTimeout);
        Fill(gate, 6);
        Finish(gate, 0, succeeded: true);

        gate.Close();

        Enumerable.Range(0, 20).Count(_ => gate.TryAdmit()).Should().Be(2, "the queue's two free places, the rest dropped");
        gate.Waits.Should().Be(0);
        Finish(gate, 8, succeeded: true);
        Enumerable.Range(0, 20).Count(_ => gate.TryAdmit()).Should().Be(Capacity, "an export that succeeds after Close makes room but does not reopen the wait");
        gate.Waits.Should().Be(0);
    }

    [Fact]
    public void Before_anything_was_delivered_nothing_waits_while_a_connect_to_the_endpoint_is_refused()
    {
        // Bound, never listening: connects to it are refused. No export has finished yet, which
        // alone would make the producer wait (a first export may just be slow).
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var probe = new CollectorProbe(new Uri($"http://127.0.0.1:{((IPEndPoint)closed.LocalEndPoint!).Port}"), NoTimeout);
        var gate = new ExportGate(Capacity, NoTimeout, probe);
        Fill(gate, 6);

        Enumerable.Range(0, 20).Count(_ => gate.TryAdmit()).Should().Be(2, "the queue's free places; nothing listens, so the rest are dropped at once");
        gate.Waits.Should().Be(0);
        gate.Dropped.Should().Be(18);
        probe.Reachable.Should().BeFalse();
    }

    /// <summary>An export of <paramref name="items"/> finishing, as the exporter reports it.</summary>
    private static void Finish(ExportGate gate, int items, bool succeeded) =>
        gate.Delivery.Count(items, () => succeeded ? ExportResult.Success : ExportResult.Failure);

    private static void Fill(ExportGate gate, int items)
    {
        for (var i = 0; i < items; i++)
        {
            gate.TryAdmit().Should().BeTrue();
        }
    }
}
