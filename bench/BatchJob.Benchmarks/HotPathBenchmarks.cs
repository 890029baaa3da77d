using System.Text.Json;
using BatchJob.Inference;
using BatchJob.Input;
using BatchJob.Logging;
using BatchJob.Output;
using BenchmarkDotNet.Attributes;
using Serilog.Events;
using Serilog.Parsing;

namespace BatchJob.Benchmarks;

/// <summary>
/// The per-record hot path in pieces: parse a typical line, predict, format the prediction, and
/// write a "Record processed" log line. A regression in any piece shows here before it shows in
/// bench/run.sh's end-to-end numbers.
/// </summary>
// Not sealed and not IDisposable: BenchmarkDotNet derives from the class and owns its lifetime
// through [GlobalSetup]/[GlobalCleanup].
#pragma warning disable CA1001
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    // Typical of bench/gen_input.py: 3-8 features, three decimals.
    private static readonly byte[] Line = """{"id": 123456, "features": [-77.731, 48.312, -51.024, 9.071, 18.102]}"""u8.ToArray();
    private static readonly double[] Features = [-77.731, 48.312, -51.024, 9.071, 18.102];

    private readonly RecordParser _parser = new();
    private readonly SumModel _model = new(cpuBurnMs: 0);
    private readonly byte[] _number = new byte[40];
    private readonly LabJsonLayout _layout = new();
    private readonly MemoryStream _sink = new();
    private Utf8JsonWriter _writer = null!;
    private PredictionWriter _predictions = null!;
    private string _predictionsPath = null!;
    private LogEvent _logEvent = null!;
    private RecordLine _recordLine;

    [GlobalSetup]
    public void Setup()
    {
        _writer = new Utf8JsonWriter(_sink, new JsonWriterOptions { SkipValidation = true });
        _predictionsPath = Path.Combine(Path.GetTempPath(), $"bench-predictions-{Environment.ProcessId}.jsonl");
        _predictions = new PredictionWriter(_predictionsPath);
        _recordLine = new RecordLine(
            DateTime.UtcNow, new RecordId(123456, null), -53.27, 0.0012, 7.5e-12,
            System.Diagnostics.ActivityTraceId.CreateRandom(), System.Diagnostics.ActivitySpanId.CreateRandom(), HasSpan: true);
        _logEvent = new LogEvent(
            DateTimeOffset.UtcNow,
            LogEventLevel.Information,
            null,
            new MessageTemplateParser().Parse("Record processed"),
            [
                new("id", new ScalarValue(123456L)),
                new("prediction", new ScalarValue(-53.27)),
                new("latency_ms", new ScalarValue(0.0012)),
                new("cost_usd", new ScalarValue(7.5e-12)),
            ],
            System.Diagnostics.ActivityTraceId.CreateRandom(),
            System.Diagnostics.ActivitySpanId.CreateRandom());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _predictions.Dispose();
        _writer.Dispose();
        File.Delete(_predictionsPath);
    }

    [Benchmark]
    public double Parse() => _parser.TryParse(Line, out var record, out _, out _) ? record.Features[0] : 0;

    [Benchmark]
    public double Predict() => _model.Predict(Features);

    [Benchmark]
    public double ParseAndPredict() => _parser.TryParse(Line, out var record, out _, out _) ? _model.Predict(record.Features) : 0;

    [Benchmark]
    public int FormatPrediction() => JsonNumbers.Format(-53.272000000000006, _number);

    [Benchmark]
    public void WritePredictionLine()
    {
        _predictions.Write(new RecordId(123456, null), -53.272000000000006);
        if (_sink.Length > 0)
        {
            _sink.SetLength(0);
        }
    }

    /// <summary>The "Record processed" line as the worker writes it: straight from its fields.</summary>
    [Benchmark]
    public long FormatRecordLine()
    {
        _layout.WriteRecordProcessed(_recordLine, _writer);
        _writer.Flush();
        _writer.Reset();
        var length = _sink.Length;
        _sink.SetLength(0);
        return length;
    }

    /// <summary>The same line through a Serilog LogEvent (how every other line is written).</summary>
    [Benchmark]
    public long FormatLogLine()
    {
        _layout.Write(_logEvent, _writer);
        _writer.Flush();
        _writer.Reset();
        var length = _sink.Length;
        _sink.SetLength(0);
        return length;
    }
}
#pragma warning restore CA1001
