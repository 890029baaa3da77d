using System.Diagnostics;
using System.Text.Json;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Otlp;

/// <summary>The spans a real OTLP receiver gets from the published worker, over gRPC and HTTP/protobuf.</summary>
public sealed class OtlpTraceTests
{
    [Theory]
    [MemberData(nameof(OtlpRun.Protocols), MemberType = typeof(OtlpRun))]
    public async Task Every_logged_record_is_a_received_process_record_span_with_the_logged_attributes(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var input = OtlpRun.TempInput(Enumerable.Range(1, 5).Select(i => OtlpRun.Record(i)));

        var run = await OtlpRun.RunAsync(receiver, protocol, ("INPUT_PATH", input));

        run.ExitCode.Should().Be(0, run.ToString());
        run.WithMessage("Telemetry not fully delivered").Should().BeEmpty(run.ToString());
        var starting = run.WithMessage("Starting batch inference job").Single();
        var spans = receiver.Spans.ToDictionary(s => (s.TraceId, s.SpanId));
        var records = run.WithMessage("Record processed").ToList();
        records.Should().HaveCount(5);
        foreach (var record in records)
        {
            var key = (record.GetProperty("trace_id").GetString()!, record.GetProperty("span_id").GetString()!);
            spans.Should().ContainKey(key, "the log line's trace_id/span_id must be a span the collector got");
            var span = spans[key];
            span.Name.Should().Be("process_record");
            span.Status.Should().Be(ActivityStatusCode.Unset);
            span.Attributes["record.id"].Should().Be(record.GetProperty("id").GetInt64());
            span.Attributes["prediction"].Should().Be(record.GetProperty("prediction").GetDouble());
            span.Attributes["latency_ms"].Should().Be(record.GetProperty("latency_ms").GetDouble());
            span.Attributes["cost_usd"].Should().Be(record.GetProperty("cost_usd").GetDouble());
            span.Attributes["cpu_cores"].Should().Be(starting.GetProperty("cpu_limit_cores").GetDouble());
            span.Attributes["memory_mb"].Should().Be(starting.GetProperty("memory_limit_mb").GetDouble());
        }
    }

    [Theory]
    [MemberData(nameof(OtlpRun.Protocols), MemberType = typeof(OtlpRun))]
    public async Task Batch_phase_spans_form_one_tree_under_batch_job(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();

        var run = await OtlpRun.RunAsync(receiver, protocol);

        run.ExitCode.Should().Be(0, run.ToString());
        var spans = receiver.Spans;
        var root = spans.Should().ContainSingle(s => s.Name == "batch_job").Which;
        root.ParentSpanId.Should().BeEmpty("batch_job is the root when no TRACEPARENT is given");
        spans.Should().OnlyContain(s => s.TraceId == root.TraceId, "one run is one trace");
        spans.Should().OnlyContain(s => s.ScopeName == "BatchJob");
        var children = spans.Where(s => s != root).ToList();
        children.Should().OnlyContain(s => s.ParentSpanId == root.SpanId, "every phase is a direct child of batch_job");
        children.Select(s => s.Name).Should().BeEquivalentTo(
            ["batch_start", "read_input_data", "process_record", "process_record", "batch_complete"]);

        var summary = run.Summary;
        var complete = children.Single(s => s.Name == "batch_complete");
        complete.Attributes["total_records"].Should().Be(summary.GetProperty("total_records").GetInt64());
        complete.Attributes["total_cost_usd"].Should().Be(summary.GetProperty("total_cost_usd").GetDouble());
        complete.Attributes["avg_latency_ms"].Should().Be(summary.GetProperty("avg_latency_ms").GetDouble());
        var completed = run.WithMessage("Batch job completed").Single();
        completed.GetProperty("span_id").GetString().Should().Be(complete.SpanId, "the summary line points at batch_complete");
    }

    [Theory]
    [MemberData(nameof(OtlpRun.Protocols), MemberType = typeof(OtlpRun))]
    public async Task Failed_records_arrive_as_spans_with_error_status_and_the_error(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var input = OtlpRun.TempInput([OtlpRun.Record(1), "{\"id\": 2, \"features\": [1.0, \"x\"]}", "not json", OtlpRun.Record(4)]);

        // Two of four fail: allow it, this test is about their spans.
        var run = await OtlpRun.RunAsync(receiver, protocol, ("INPUT_PATH", input), ("MAX_FAILED_RATIO", "1"));

        run.ExitCode.Should().Be(0, run.ToString());
        var failures = run.WithMessage("Record failed").ToList();
        failures.Should().HaveCount(2);
        var spans = receiver.Spans.ToDictionary(s => s.SpanId);
        foreach (var failure in failures)
        {
            var span = spans[failure.GetProperty("span_id").GetString()!];
            span.Name.Should().Be("process_record");
            span.Status.Should().Be(ActivityStatusCode.Error);
            span.StatusMessage.Should().Be(failure.GetProperty("error").GetString()).And.NotBeEmpty();
            span.Attributes["record.line"].Should().Be(failure.GetProperty("line").GetInt64());
        }

        spans.Values.Single(s => s.Attributes.GetValueOrDefault("record.line") is 2L).Attributes["record.id"].Should().Be(2L);
        receiver.Spans.Where(s => s.Name == "process_record" && s.Status != ActivityStatusCode.Error)
            .Select(s => s.Attributes["record.id"]).Should().BeEquivalentTo(new object[] { 1L, 4L });
    }

    [Theory]
    [MemberData(nameof(OtlpRun.Protocols), MemberType = typeof(OtlpRun))]
    public async Task Traceparent_in_the_environment_makes_the_run_a_child_of_that_trace(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        const string traceId = "0af7651916cd43dd8448eb211c80319c";
        const string parentId = "b7ad6b7169203331";

        var run = await OtlpRun.RunAsync(receiver, protocol,
            ("TRACEPARENT", $"00-{traceId}-{parentId}-01"), ("TRACESTATE", "lab=ci,rojo=00f067aa0ba902b7"));

        run.ExitCode.Should().Be(0, run.ToString());
        var spans = receiver.Spans;
        spans.Should().HaveCount(6);
        spans.Should().OnlyContain(s => s.TraceId == traceId, "every span joins the launcher's trace");
        var root = spans.Single(s => s.Name == "batch_job");
        root.ParentSpanId.Should().Be(parentId);
        root.TraceState.Should().Be("lab=ci,rojo=00f067aa0ba902b7");
        spans.Where(s => s != root).Should().OnlyContain(s => s.ParentSpanId == root.SpanId);
        run.WithMessage("Record processed").Should().OnlyContain(l => l.GetProperty("trace_id").GetString() == traceId);
    }
}
