using System.Diagnostics;
using System.Diagnostics.Metrics;
using BatchJob.Tests.Support;
using Microsoft.Extensions.Logging;

namespace BatchJob.Tests.Telemetry;

/// <summary>
/// The runner's spans, log records, metrics and log lines, through the host the worker builds,
/// caught with OpenTelemetry's in-memory exporter and MetricCollector.
/// </summary>
[Collection(WorkerSourceListeners.Name)]
public sealed class RecordTelemetryTests
{
    [Fact]
    public void Every_record_line_carries_the_ids_of_its_own_process_record_span()
    {
        using var run = HostedRun.Run("{\"id\": 1, \"features\": [1.0, 2.0, 3.0]}\n{\"id\": 2, \"features\": [4.0, 5.0, 6.0]}\n");

        var records = run.Lines.WithMessage("Record processed").ToList();
        records.Should().HaveCount(2);
        var recordSpans = run.Spans.Where(s => s.DisplayName == "process_record").ToList();
        recordSpans.Should().HaveCount(2);
        foreach (var (line, span) in records.Zip(recordSpans))
        {
            line.GetProperty("trace_id").GetString().Should().Be(span.TraceId.ToHexString());
            line.GetProperty("span_id").GetString().Should().Be(span.SpanId.ToHexString());
            span.GetTagItem("record.id").Should().Be(line.GetProperty("id").GetInt64());
            span.GetTagItem("prediction").Should().Be(line.GetProperty("prediction").GetDouble());
            span.GetTagItem("latency_ms").Should().Be(line.GetProperty("latency_ms").GetDouble());
            span.GetTagItem("cost_usd").Should().Be(line.GetProperty("cost_usd").GetDouble());
            span.GetTagItem("cpu_cores").Should().Be(0.5);
            span.GetTagItem("memory_mb").Should().Be(512.0);
        }

        // The providers exist before the first span: the root is there, and everything hangs off it.
        var root = run.Spans.Single(s => s.DisplayName == "batch_job");
        run.Spans.Where(s => s != root).Should().OnlyContain(s => s.ParentSpanId == root.SpanId && s.TraceId == root.TraceId);
    }

    [Fact]
    public void Every_record_log_record_carries_the_ids_of_its_process_record_span_and_the_lines_fields()
    {
        using var run = HostedRun.Run("{\"id\": 1, \"features\": [1.0, 2.0, 3.0]}\n{\"id\": \"b\", \"features\": [4.0, 5.0, 6.0]}\n");

        var recordSpans = run.Spans.Where(s => s.DisplayName == "process_record").ToList();
        var lines = run.Lines.WithMessage("Record processed").ToList();
        var logs = run.LogRecords.Where(l => l.Body == "Record processed").ToList();
        logs.Should().HaveCount(2);
        foreach (var (log, (span, line)) in logs.Zip(recordSpans.Zip(lines)))
        {
            log.TraceId.Should().Be(span.TraceId);
            log.SpanId.Should().Be(span.SpanId);
            log.LogLevel.Should().Be(LogLevel.Information);
            log.CategoryName.Should().Be("BatchJob");
            var attributes = log.Attributes!.Where(a => a.Key != "{OriginalFormat}").ToDictionary(a => a.Key, a => a.Value);
            attributes.Keys.Should().Equal("id", "prediction", "latency_ms", "cost_usd");
            attributes["prediction"].Should().Be(line.GetProperty("prediction").GetDouble());
            attributes["latency_ms"].Should().Be(line.GetProperty("latency_ms").GetDouble());
            attributes["cost_usd"].Should().Be(line.GetProperty("cost_usd").GetDouble());
        }

        logs[0].Attributes!.Single(a => a.Key == "id").Value.Should().Be(1L);
        logs[1].Attributes!.Single(a => a.Key == "id").Value.Should().Be("b");
    }

    [Fact]
    public void Every_other_line_is_a_log_record_too_with_the_ids_of_the_span_it_was_written_in()
    {
        using var run = HostedRun.Run("{\"id\": 1, \"features\": [1]}\n{\"id\": 7, \"features\": [\"x\"]}\n", new Dictionary<string, string?> { ["MAX_FAILED_RATIO"] = "1" });

        var failed = run.LogRecords.Single(l => l.Body == "Record failed");
        var line = run.Lines.WithMessage("Record failed").Single();
        failed.LogLevel.Should().Be(LogLevel.Error);
        failed.SpanId.ToHexString().Should().Be(line.GetProperty("span_id").GetString());
        failed.Attributes.Should().Contain(new KeyValuePair<string, object?>("line", 2L))
            .And.Contain(new KeyValuePair<string, object?>("id", 7L))
            .And.Contain(new KeyValuePair<string, object?>("error", "features[0] must be a number, got a string"));

        var starting = run.LogRecords.Single(l => l.Body == "Starting batch inference job");
        starting.SpanId.Should().Be(run.Spans.Single(s => s.DisplayName == "read_input_data").SpanId);
        var completed = run.LogRecords.Single(l => l.Body == "Batch job completed");
        completed.SpanId.Should().Be(run.Spans.Single(s => s.DisplayName == "batch_complete").SpanId);
        completed.SpanId.ToHexString().Should().Be(run.Lines.WithMessage("Batch job completed").Single().GetProperty("span_id").GetString());
        run.LogRecords.Select(l => l.Body).Should().StartWith(["Initializing OpenTelemetry", "Starting batch inference job"]);
    }

    [Fact]
    public void A_failed_record_gets_an_error_span_and_an_error_line_with_the_same_ids()
    {
        using var run = HostedRun.Run("{\"id\": 1, \"features\": [1]}\n{\"id\": 7, \"features\": [\"x\"]}\n", new Dictionary<string, string?> { ["MAX_FAILED_RATIO"] = "1" });

        run.Lines.WithMessage("Batch job completed").Single().GetProperty("summary").GetProperty("failed").GetInt64().Should().Be(1);
        var failed = run.Lines.WithMessage("Record failed").Single();
        failed.GetProperty("level").GetString().Should().Be("ERROR");
        failed.GetProperty("line").GetInt64().Should().Be(2);
        failed.GetProperty("id").GetInt64().Should().Be(7);
        failed.GetProperty("error").GetString().Should().Be("features[0] must be a number, got a string");
        var span = run.Spans.Single(s => s.SpanId.ToHexString() == failed.GetProperty("span_id").GetString());
        span.Status.Should().Be(ActivityStatusCode.Error);
        span.StatusDescription.Should().Be("features[0] must be a number, got a string");
        span.GetTagItem("record.line").Should().Be(2L);
    }

    [Fact]
    public void The_six_contract_instruments_exist_with_their_kinds_and_measure_the_batch()
    {
        using var run = HostedRun.Run("{\"id\": 1, \"features\": [1.0, 2.0, 3.0]}\n{\"id\": 2, \"features\": [4.0, 5.0, 6.0]}\nbad\n", new Dictionary<string, string?> { ["MAX_FAILED_RATIO"] = "1" });

        run.Instruments.Should().BeEquivalentTo(new[]
        {
            ("batch_total_records", typeof(Counter<>)),
            ("record_latency_ms", typeof(Histogram<>)),
            ("batch_processing_ms", typeof(Gauge<>)),
            ("batch_cost_usd", typeof(Gauge<>)),
            ("cost_per_record_usd", typeof(Gauge<>)),
            ("cpu_utilization", typeof(Gauge<>)),
        });
        var summary = run.Lines.WithMessage("Batch job completed").Single().GetProperty("summary");
        run.RecordsProcessed.GetMeasurementSnapshot().Sum(m => m.Value).Should().Be(summary.GetProperty("successful").GetInt64()).And.Be(2);
        run.RecordLatency.GetMeasurementSnapshot().Select(m => m.Value).Should().HaveCount(2)
            .And.Subject.Sum().Should().BeApproximately(summary.GetProperty("total_latency_ms").GetDouble(), 1e-6);
        Values(run.BatchProcessing).Should().Equal(summary.GetProperty("batch_processing_ms").GetDouble());
        Values(run.BatchCost).Should().Equal(summary.GetProperty("total_cost_usd").GetDouble());
        Values(run.CostPerRecord).Should().Equal(summary.GetProperty("cost_per_record_usd").GetDouble());
        Values(run.CpuUtilization).Should().Equal(summary.GetProperty("cpu_utilization").GetDouble());
    }

    [Fact]
    public void With_cost_tracking_off_no_cost_is_logged_tagged_or_measured()
    {
        using var run = HostedRun.Run("{\"id\": 1, \"features\": [1]}\n", new Dictionary<string, string?> { ["ENABLE_COST_TRACKING"] = "false" });

        run.Lines.WithMessage("Record processed").Single().TryGetProperty("cost_usd", out _).Should().BeFalse();
        run.Spans.Single(s => s.DisplayName == "process_record").GetTagItem("cost_usd").Should().BeNull();
        run.LogRecords.Single(l => l.Body == "Record processed").Attributes!.Select(a => a.Key).Should().NotContain("cost_usd");
        run.Lines.WithMessage("Batch job completed").Single().GetProperty("summary").TryGetProperty("total_cost_usd", out _).Should().BeFalse();
        run.BatchCost.GetMeasurementSnapshot().Should().BeEmpty();
    }

    private static IEnumerable<double> Values(Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<double> collector) =>
        collector.GetMeasurementSnapshot().Select(m => m.Value);
}
