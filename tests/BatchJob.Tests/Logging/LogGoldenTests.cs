using System.Diagnostics;
using System.Text.RegularExpressions;
using BatchJob.Configuration;
using BatchJob.Input;
using BatchJob.Logging;
using BatchJob.Output;
using BatchJob.Processing;
using BatchJob.Telemetry;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Logging;

/// <summary>
/// Every kind of line the worker writes, in both stdout formats, against the bytes the worker wrote
/// before its log path was rebuilt (Golden/*.jsonl, captured from that code). Only the timestamp and
/// the random trace and span ids are masked; every other byte must match.
/// Regenerate (only when a line is meant to change): GOLDEN_WRITE=1 dotnet test --filter LogGoldenTests.
/// </summary>
public sealed partial class LogGoldenTests
{
    /// <summary>One call of every BatchLog method, with the values that exercise each writer's corners.</summary>
    private static void Corpus(BatchLog log)
    {
        log.TelemetryInitializing("batch-inference-service", new Uri("http://alice:pw@otel-collector-paid:4317"), "grpc", traces: true, metrics: true, logs: false);
        log.TelemetryDisabled();
        log.JobStarting("local", "/data/in \"quoted\" ü 日本.jsonl", 78, null, 0.5, 512.0, costTracking: true);
        log.JobStarting("prod", "/dev/stdin", null, "/output/predictions.jsonl", 2.0, 1536.5, costTracking: false);
        log.RecordProcessed(new RecordId(1, null), 6.0, 1.6518, 1.0323749999999998E-08);
        log.RecordProcessed(new RecordId(-9223372036854775808, null), 1e21, 0.0, null);
        log.RecordProcessed(new RecordId(0, "rec \"1\" \\ \u2028 \u0001 😀 <b>&"), 0.30000000000000004, 2.5e-7, 0.0);
        log.BatchProgress(new Progress(1000, 12345.678, 0.081, null));
        log.BatchProgress(new Progress(2000, 1.0, 2000.0, 12.5));
        log.BatchProgress(new Progress(3000, 2.0, 1.5, 0.5, 1.25e-9));
        log.ForecastOverBudget(2e-6, 1e-6);
        log.BudgetExceeded(1.1e-6, 1e-6, 42);
        log.BudgetExceeded(1.1e-6, 1e-6, null);
        log.BaggageIgnored("entry 2 is not key=value with a token key");
        log.RecordFailed(3, "invalid JSON: 'x' is an invalid start of a value", null);
        log.RecordFailed(4, "features must be an array of numbers", new RecordId(7, null));
        log.RecordFailed(5, "missing id", new RecordId(0, "a\"b"));
        log.RecordFailed(6, "odd text: \b \f \u001b \u007f \u0085 \ud800 \t\r\n end", new RecordId(0, "\udfff"));
        log.BatchCompleted(new BatchSummary(2, 2, 0, 1, 10.5, 1.6746, 0.8373, 1.0466249999999998E-08, 5.233124999999999E-09, 1.4037, 50.9, 27.744, Interrupted: false));
        log.BatchCompleted(new BatchSummary(0, 0, 0, 0, 0.0, 0.0, 0.0, null, null, 0.0, 12.0, 3.0, Interrupted: true) { ShardIndex = 1, ShardCount = 3 });
        log.CostTargetExceeded(2e-4, 1e-4);
        log.TooManyFailures(5, 10, 0.5, 0.1);
        log.Interrupted(42);
        log.TelemetryNotDelivered(new Uri("http://127.0.0.1:9"), new TelemetryDelivery(new SignalDelivery(6, 0, 6), FlushedInTime: false, MetricsDelivered: false));
        log.TelemetryNotDelivered(new Uri("http://u:p@collector:4318"), new TelemetryDelivery(new SignalDelivery(10, 7, 0), FlushedInTime: true, MetricsDelivered: null) { Logs = new SignalDelivery(4, 1, 1) });
        log.ConfigurationInvalid(["BATCH_SIZE='0' is not valid: expected a whole number from 1", "LOG_FORMAT='xml' is not valid: expected lab or clef"]);
        log.InputUnreadable("/missing.jsonl", "cannot open '/missing.jsonl': Could not find file");
        log.OutputUnwritable(null, "No space left on device");
        log.OutputUnwritable("/out/p.jsonl", "No space left on device");
        log.LogOutputFailed(new IOException("Broken pipe"));
        log.Crashed(new InvalidOperationException("disk on fire \"now\"\n"));
    }

    /// <summary>The corpus twice: outside any span, then inside one (every line then carries its ids).</summary>
    private static void CorpusTwice(BatchLog log)
    {
        Corpus(log);
        using var source = new ActivitySource("BatchJob.Tests.Golden");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var span = source.StartActivity("golden");
        span.Should().NotBeNull();
        Corpus(log);
    }

    private static string Render(LogFormat format) => LogCapture.Render(format, CorpusTwice);

    /// <summary>Compares with the golden file, or rewrites it when GOLDEN_WRITE=1.</summary>
    private static void ShouldMatchGolden(string actual, string file)
    {
        var path = Repo.File("tests", "BatchJob.Tests", "Logging", "Golden", file);
        if (Environment.GetEnvironmentVariable("GOLDEN_WRITE") == "1")
        {
            File.WriteAllText(path, actual);
        }

        actual.Should().Be(File.ReadAllText(path));
    }

    private static LogFormat Format(string name) => name == "clef" ? LogFormat.Clef : LogFormat.Lab;

    private static string Masked(string text) =>
        HexId().Replace(Timestamp().Replace(text, "$1\"<time>\""), "\"<id>\"");

    [GeneratedRegex("(\"timestamp\":|\"@t\":)\"[^\"]+\"")]
    private static partial Regex Timestamp();

    [GeneratedRegex("\"([0-9a-f]{32}|[0-9a-f]{16})\"")]
    private static partial Regex HexId();

    [Theory]
    [InlineData("lab")]
    [InlineData("clef")]
    public void Every_line_kind_is_byte_for_byte_what_it_was(string format) =>
        ShouldMatchGolden(Masked(Render(Format(format))), format + ".jsonl");

    [Fact]
    public void Every_line_kind_is_the_same_LogRecord_it_was() =>
        ShouldMatchGolden(LogCapture.RenderOtlp(CorpusTwice), "otlp.txt");

    [Theory]
    [InlineData("lab")]
    [InlineData("clef")]
    public void The_timestamps_the_mask_hides_are_ISO_8601_UTC(string format)
    {
        var stamps = Regex.Matches(Render(Format(format)), "(?:\"timestamp\":|\"@t\":)\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();

        stamps.Should().HaveCount(2 * 31).And.OnlyContain(s => Regex.IsMatch(s, @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?Z$"));
    }
}
