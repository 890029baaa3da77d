using System.Diagnostics;
using System.Text;
using System.Text.Json;
using BatchJob.Configuration;
using BatchJob.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace BatchJob.Tests.Support;

/// <summary>
/// Runs the worker in-process through the host it builds (<see cref="BatchHost"/>), telemetry on,
/// with OpenTelemetry's in-memory exporters added beside its own and a <see cref="MetricCollector{T}"/>
/// on each of its six instruments. Its own OTLP exporters point at a closed port: this is about what
/// the run records, not what a collector receives (the Otlp tests do that).
/// </summary>
internal sealed class HostedRun : IDisposable
{
    private readonly List<IDisposable> _collectors = [];

    private HostedRun()
    {
    }

    public ExitCode Code { get; private set; }

    public IReadOnlyList<JsonElement> Lines { get; private set; } = [];

    /// <summary>This run's spans: its trace's. The SDK listens to every ActivitySource named BatchJob in the test process, and other tests run at the same time.</summary>
    public IReadOnlyList<Activity> Spans { get; private set; } = [];

    public List<LogRecord> LogRecords { get; } = [];

    public MetricCollector<long> RecordsProcessed { get; private set; } = null!;

    public MetricCollector<double> RecordLatency { get; private set; } = null!;

    public MetricCollector<double> BatchProcessing { get; private set; } = null!;

    public MetricCollector<double> BatchCost { get; private set; } = null!;

    public MetricCollector<double> CostPerRecord { get; private set; } = null!;

    public MetricCollector<double> CpuUtilization { get; private set; } = null!;

    /// <summary>The instruments the run's Meter created, by name and kind.</summary>
    public IReadOnlyList<(string Name, Type Kind)> Instruments { get; private set; } = [];

    public static HostedRun Run(string input, IDictionary<string, string?>? extra = null)
    {
        var env = new Dictionary<string, string?>
        {
            ["INPUT_PATH"] = InProcessRun.TempInput(input),
            ["ENABLE_TELEMETRY"] = "true",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9",
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "disabled",
            ["OTEL_TRACES_EXPORTER"] = "none",
            ["OTEL_METRICS_EXPORTER"] = "none",
            ["OTEL_LOGS_EXPORTER"] = "otlp",
            ["TELEMETRY_FLUSH_TIMEOUT_MS"] = "2000",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            env[key] = value;
        }

        var directory = Directory.CreateTempSubdirectory("batchjob-hosted-").FullName;
        var configuration = ConfigurationLoader.Build([], directory, env);
        var options = OptionsReader.Read(configuration, directory, BatchJob.Output.OutputTarget.Checks);
        var run = new HostedRun();
        var spans = new List<Activity>();
        using var stdout = new MemoryStream();
        var builder = BatchHost.CreateBuilder(options, configuration, stdout);
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
        if (options.Telemetry.ExportLogs)
        {
            builder.Services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddInMemoryExporter(run.LogRecords));
        }

        var host = builder.Build();
        var telemetry = host.Services.GetRequiredService<BatchTelemetry>();
        run.RecordsProcessed = run.Collect(new MetricCollector<long>(telemetry.RecordsProcessed));
        run.RecordLatency = run.Collect(new MetricCollector<double>(telemetry.RecordLatency));
        run.BatchProcessing = run.Collect(new MetricCollector<double>(telemetry.BatchProcessing));
        run.BatchCost = run.Collect(new MetricCollector<double>(telemetry.BatchCost));
        run.CostPerRecord = run.Collect(new MetricCollector<double>(telemetry.CostPerRecord));
        run.CpuUtilization = run.Collect(new MetricCollector<double>(telemetry.CpuUtilization));
        run.Instruments = new System.Diagnostics.Metrics.Instrument[]
        {
            telemetry.RecordsProcessed, telemetry.RecordLatency, telemetry.BatchProcessing, telemetry.BatchCost, telemetry.CostPerRecord, telemetry.CpuUtilization,
        }.Select(i => (i.Name, i.GetType().GetGenericTypeDefinition())).ToList();

        run.Code = BatchApplication.Run(host, CancellationToken.None);
        run.Lines = Encoding.UTF8.GetString(stdout.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        var traceId = run.Lines.First(l => l.TryGetProperty("trace_id", out _)).GetProperty("trace_id").GetString();
        // The run disposed the host and with it the tracer provider: nothing adds to the list now.
        run.Spans = spans.Where(s => s.TraceId.ToHexString() == traceId).ToList();

        return run;
    }

    public void Dispose()
    {
        foreach (var collector in _collectors)
        {
            collector.Dispose();
        }
    }

    private T Collect<T>(T collector)
        where T : IDisposable
    {
        _collectors.Add(collector);
        return collector;
    }
}
