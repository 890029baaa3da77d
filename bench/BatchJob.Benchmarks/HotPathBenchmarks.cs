using System.Buffers;
using BatchJob.Inference;
using BatchJob.Input;
using BatchJob.Json;
using BatchJob.Logging;
using BatchJob.Output;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging;

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
    private readonly LabJsonLayout _lab = new();
    private readonly ClefLayout _clef = new();
    private readonly ArrayBufferWriter<byte> _sink = new(1024);
    private readonly LogLine _recordLine = new();
    private PredictionWriter _predictions = null!;
    private string _predictionsPath = null!;

    [GlobalSetup]
    public void Setup()
    {
        _predictionsPath = Path.Combine(Path.GetTempPath(), $"bench-predictions-{Environment.ProcessId}.jsonl");
        _predictions = new PredictionWriter(_predictionsPath);
        using var span = new System.Diagnostics.Activity("record").Start();
        _recordLine.Start(DateTime.UtcNow, LogLevel.Information, "Record processed", span);
        _recordLine.Add(LogField.Of("id", new RecordId(123456, null)));
        _recordLine.Add(LogField.Of("prediction", -53.27));
        _recordLine.Add(LogField.Of("latency_ms", 0.0012));
        _recordLine.Add(LogField.Of("cost_usd", 7.5e-12));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _predictions.Dispose();
        _lab.Dispose();
        File.Delete(_predictionsPath);
    }

    [Benchmark]
    public double Parse() => _parser.TryParse(Line, out var record, out _, out _) ? record.Features[0] : 0;

    [Benchmark]
    public double Predict() => _model.Predict(Features);

    [Benchmark]
    public double ParseAndPredict() => _parser.TryParse(Line, out var record, out _, out _) ? _model.Predict(record.Features) : 0;

    [Benchmark]
    public int FormatPrediction() => JsonNumbers.Format(-53.272000000000006, _number, "prediction");

    [Benchmark]
    public void WritePredictionLine()
    {
        _predictions.Write(new RecordId(123456, null), -53.272000000000006);
    }

    /// <summary>The "Record processed" line as the lab layout writes it.</summary>
    [Benchmark]
    public int FormatRecordLine()
    {
        _lab.Write(_recordLine, _sink);
        var length = _sink.WrittenCount;
        _sink.ResetWrittenCount();
        return length;
    }

    /// <summary>The same line in CLEF.</summary>
    [Benchmark]
    public int FormatRecordLineClef()
    {
        _clef.Write(_recordLine, _sink);
        var length = _sink.WrittenCount;
        _sink.ResetWrittenCount();
        return length;
    }
}
#pragma warning restore CA1001
