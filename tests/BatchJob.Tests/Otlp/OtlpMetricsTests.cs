using System.Text.Json;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Otlp;

/// <summary>The six contract metrics, as the receiver gets them, against the run's summary.</summary>
public sealed class OtlpMetricsTests
{
    [Theory]
    [MemberData(nameof(OtlpRun.Protocols), MemberType = typeof(OtlpRun))]
    public async Task Six_metrics_arrive_with_the_contract_names_kinds_and_the_summary_values(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var input = OtlpRun.TempInput([.. Enumerable.Range(1, 7).Select(i => OtlpRun.Record(i)), "{\"id\": 8}"]);

        var run = await OtlpRun.RunAsync(receiver, protocol, ("INPUT_PATH", input), ("MAX_FAILED_RATIO", "0.5"));

        run.ExitCode.Should().Be(0, run.ToString());
        var summary = run.Summary;
        summary.GetProperty("successful").GetInt64().Should().Be(7);
        summary.GetProperty("failed").GetInt64().Should().Be(1);

        // The final export at shutdown holds every instrument once (cumulative, one series each).
        var metrics = receiver.Metrics.Where(m => m.ScopeName == "BatchJob").GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.Last());
        metrics.Keys.Should().BeEquivalentTo(
            ["batch_total_records", "record_latency_ms", "batch_processing_ms", "batch_cost_usd", "cost_per_record_usd", "cpu_utilization"]);

        var records = metrics["batch_total_records"];
        records.Kind.Should().Be(MetricKind.Sum);
        records.IsMonotonic.Should().BeTrue("a counter is a monotonic sum");
        records.Points.Should().ContainSingle().Which.Value.Should().Be(7);

        var latency = metrics["record_latency_ms"];
        latency.Kind.Should().Be(MetricKind.Histogram);
        var histogram = latency.Points.Should().ContainSingle().Subject;
        histogram.Count.Should().Be(7UL);
        histogram.Sum.Should().BeApproximately(summary.GetProperty("total_latency_ms").GetDouble(), 1e-6);

        Gauge(metrics, "batch_processing_ms").Should().Be(summary.GetProperty("batch_processing_ms").GetDouble());
        Gauge(metrics, "batch_cost_usd").Should().Be(summary.GetProperty("total_cost_usd").GetDouble());
        Gauge(metrics, "cost_per_record_usd").Should().Be(summary.GetProperty("cost_per_record_usd").GetDouble());
        Gauge(metrics, "cpu_utilization").Should().Be(summary.GetProperty("cpu_utilization").GetDouble());
    }

    [Theory]
    [MemberData(nameof(OtlpRun.Protocols), MemberType = typeof(OtlpRun))]
    public async Task Runtime_metrics_of_the_worker_arrive_next_to_the_lab_metrics(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();

        var run = await OtlpRun.RunAsync(receiver, protocol);

        run.ExitCode.Should().Be(0, run.ToString());
        run.WithMessage("Telemetry not fully delivered").Should().BeEmpty(run.ToString());
        var runtime = receiver.Metrics.Where(m => m.ScopeName == "System.Runtime").GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.Last());
        runtime.Keys.Should().Contain(["dotnet.gc.collections", "dotnet.process.cpu.time", "dotnet.process.memory.working_set", "dotnet.gc.heap.total_allocated"]);
        runtime["dotnet.process.memory.working_set"].Points.Should().ContainSingle().Which.Value.Should().BePositive("the worker's resident memory");
        runtime["dotnet.process.cpu.time"].Points.Sum(p => p.Value).Should().BePositive("the worker's CPU seconds");
        runtime["dotnet.gc.heap.total_allocated"].Points.Should().ContainSingle().Which.Value.Should().BePositive();
        runtime.Values.Should().OnlyContain(m => (string?)m.Resource["service.name"] == "batch-inference-service");
    }

    private static double? Gauge(Dictionary<string, ReceivedMetric> metrics, string name)
    {
        var metric = metrics[name];
        metric.Kind.Should().Be(MetricKind.Gauge, name + " is a gauge");
        return metric.Points.Should().ContainSingle(name + " has one point").Which.Value;
    }
}
