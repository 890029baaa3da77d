using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace BatchJob.Telemetry;

/// <summary>
/// The worker's one <see cref="ActivitySource"/> and one <see cref="Meter"/>, named once, with the
/// span names and instruments of the lab contract. The SDK subscribes to them by <see cref="Name"/>.
/// </summary>
internal sealed class BatchTelemetry : IDisposable
{
    public const string Name = "BatchJob";

    public const string BatchSpan = "batch_job";
    public const string BatchStartSpan = "batch_start";
    public const string ReadInputSpan = "read_input_data";
    public const string RecordSpan = "process_record";
    public const string BatchCompleteSpan = "batch_complete";

    public BatchTelemetry()
    {
        var version = typeof(BatchTelemetry).Assembly.GetName().Version?.ToString(3);
        Source = new ActivitySource(Name, version);
        Meter = new Meter(Name, version);
        RecordsProcessed = Meter.CreateCounter<long>("batch_total_records", "{record}", "Records processed successfully");
        RecordLatency = Meter.CreateHistogram<double>("record_latency_ms", "ms", "Time to parse, predict and cost one record");
        BatchProcessing = Meter.CreateGauge<double>("batch_processing_ms", "ms", "Wall time of the whole batch");
        BatchCost = Meter.CreateGauge<double>("batch_cost_usd", "USD", "Cost of the batch: the sum of its records' costs");
        CostPerRecord = Meter.CreateGauge<double>("cost_per_record_usd", "USD", "Batch cost divided by successful records");
        CpuUtilization = Meter.CreateGauge<double>("cpu_utilization", "1", "Process CPU time over wall time and the CPU limit");
        TelemetryDropped = Meter.CreateCounter<long>("batch_telemetry_dropped", "{item}", "Spans and log records dropped before export because the export queue was full");
    }

    public ActivitySource Source { get; }

    public Meter Meter { get; }

    public Counter<long> RecordsProcessed { get; }

    public Histogram<double> RecordLatency { get; }

    public Gauge<double> BatchProcessing { get; }

    public Gauge<double> BatchCost { get; }

    public Gauge<double> CostPerRecord { get; }

    public Gauge<double> CpuUtilization { get; }

    public Counter<long> TelemetryDropped { get; }

    public void Dispose()
    {
        Source.Dispose();
        Meter.Dispose();
    }
}
