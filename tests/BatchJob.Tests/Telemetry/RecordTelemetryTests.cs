using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using BatchJob.Logging;
using BatchJob.Processing;
using BatchJob.Telemetry;
using BatchJob.Tests.Configuration;
using BatchJob.Tests.Support;
using Serilog;

namespace BatchJob.Tests.Telemetry;

/// <summary>The runner's spans, metrics and log lines, caught in-process with .NET's own listeners.</summary>
public sealed class RecordTelemetryTests : IDisposable
{
    private readonly BatchTelemetry _telemetry = new();
    private readonly List<Activity> _spans = [];
    private readonly ActivityListener _spanListener;
    private readonly MeterListener _meterListener = new();
    private readonly List<(string Name, Type Kind)> _instruments = [];
    private readonly Dictionary<string, List<double>> _measurements = [];

    public RecordTelemetryTests()
    {
        _spanListener = new ActivityListener
        {
            ShouldListenTo = source => ReferenceEquals(source, _telemetry.Source),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Add,
        };
        ActivitySource.AddActivityListener(_spanListener);
        _meterListener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, _telemetry.Meter))
            {
                _instruments.Add((instrument.Name, instrument.GetType().GetGenericTypeDefinition()));
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meterListener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Measure(instrument.Name, value));
        _meterListener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Measure(instrument.Name, value));
        _meterListener.Start();
    }

    private void Measure(string name, double value)
    {
        if (!_measurements.TryGetValue(name, out var values))
        {
            _measurements[name] = values = [];
        }

        values.Add(value);
    }

    private (BatchResult Result, List<JsonElement> Lines) Run(string input, Dictionary<string, string?>? extra = null)
    {
        var env = new Dictionary<string, string?> { ["INPUT_PATH"] = InProcessRun.TempInput(input) };
        foreach (var (key, value) in extra ?? [])
        {
            env[key] = value;
        }

        var options = TestConfig.Read(env);
        using var stdout = new MemoryStream();
        BatchResult result;
        using (var logger = new LoggerConfiguration().WriteTo.Sink(new JsonLinesSink(stdout, new LabJsonLayout(), TimeSpan.Zero)).CreateLogger())
        {
            result = new BatchRunner(options, _telemetry, new BatchLog(logger)).Run(CancellationToken.None);
        }

        var lines = Encoding.UTF8.GetString(stdout.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        return (result, lines);
    }

    [Fact]
    public void Every_record_line_carries_the_ids_of_its_own_process_record_span()
    {
        var (_, lines) = Run("{\"id\": 1, \"features\": [1.0, 2.0, 3.0]}\n{\"id\": 2, \"features\": [4.0, 5.0, 6.0]}\n");

        var records = lines.WithMessage("Record processed").ToList();
        records.Should().HaveCount(2);
        var recordSpans = _spans.Where(s => s.DisplayName == "process_record").ToList();
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

        var root = _spans.Single(s => s.DisplayName == "batch_job");
        _spans.Where(s => s != root).Should().OnlyContain(s => s.ParentSpanId == root.SpanId && s.TraceId == root.TraceId);
    }

    [Fact]
    public void A_failed_record_gets_an_error_span_and_an_error_line_with_the_same_ids()
    {
        var (result, lines) = Run("{\"id\": 1, \"features\": [1]}\n{\"id\": 7, \"features\": [\"x\"]}\n");

        result.Summary.Failed.Should().Be(1);
        var failed = lines.WithMessage("Record failed").Single();
        failed.GetProperty("level").GetString().Should().Be("ERROR");
        failed.GetProperty("line").GetInt64().Should().Be(2);
        failed.GetProperty("id").GetInt64().Should().Be(7);
        failed.GetProperty("error").GetString().Should().Be("features[0] must be a number, got a string");
        var span = _spans.Single(s => s.SpanId.ToHexString() == failed.GetProperty("span_id").GetString());
        span.Status.Should().Be(ActivityStatusCode.Error);
        span.StatusDescription.Should().Be("features[0] must be a number, got a string");
        span.GetTagItem("record.line").Should().Be(2L);
    }

    [Fact]
    public void The_six_contract_instruments_exist_with_their_kinds_and_measure_the_batch()
    {
        var (result, _) = Run("{\"id\": 1, \"features\": [1.0, 2.0, 3.0]}\n{\"id\": 2, \"features\": [4.0, 5.0, 6.0]}\nbad\n", new() { ["MAX_FAILED_RATIO"] = "1" });

        _instruments.Should().BeEquivalentTo(new[]
        {
            ("batch_total_records", typeof(Counter<>)),
            ("record_latency_ms", typeof(Histogram<>)),
            ("batch_processing_ms", typeof(Gauge<>)),
            ("batch_cost_usd", typeof(Gauge<>)),
            ("cost_per_record_usd", typeof(Gauge<>)),
            ("cpu_utilization", typeof(Gauge<>)),
        });
        var summary = result.Summary;
        _measurements["batch_total_records"].Sum().Should().Be(summary.Successful).And.Be(2);
        _measurements["record_latency_ms"].Should().HaveCount(2).And.Subject.Sum().Should().BeApproximately(summary.TotalLatencyMs, 1e-6);
        _measurements["batch_processing_ms"].Should().Equal(summary.BatchProcessingMs);
        _measurements["batch_cost_usd"].Should().Equal(summary.TotalCostUsd!.Value);
        _measurements["cost_per_record_usd"].Should().Equal(summary.CostPerRecordUsd!.Value);
        _measurements["cpu_utilization"].Should().Equal(summary.CpuUtilization);
    }

    [Fact]
    public void With_cost_tracking_off_no_cost_is_logged_tagged_or_measured()
    {
        var (result, lines) = Run("{\"id\": 1, \"features\": [1]}\n", new() { ["ENABLE_COST_TRACKING"] = "false" });

        lines.WithMessage("Record processed").Single().TryGetProperty("cost_usd", out _).Should().BeFalse();
        _spans.Single(s => s.DisplayName == "process_record").GetTagItem("cost_usd").Should().BeNull();
        result.Summary.TotalCostUsd.Should().BeNull();
        _measurements.Should().NotContainKey("batch_cost_usd");
    }

    public void Dispose()
    {
        _spanListener.Dispose();
        _meterListener.Dispose();
        _telemetry.Dispose();
    }
}
