using System.Diagnostics;
using System.Text.Json;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Telemetry;

/// <summary>
/// BAGGAGE through the worker's own host, in-process: every span and every log line (stdout in both
/// formats, and the OTLP log records) carries its entries, a line's or span's own field wins over an
/// entry of the same name, and a malformed BAGGAGE is one WARN and nothing else.
/// </summary>
[Collection(WorkerSourceListeners.Name)]
public sealed class BaggageTests
{
    private const string Input = "{\"id\": 1, \"features\": [1.0, 2.0]}\nnot json\n{\"id\": 3, \"features\": [3.0]}\n";

    private static readonly Dictionary<string, string?> Lab = new()
    {
        ["BAGGAGE"] = "cost_center=ml-platform,team=lab%20one", ["MAX_FAILED_RATIO"] = "1",
    };

    [Fact]
    public void Every_span_of_the_run_carries_the_entries_as_attributes()
    {
        using var run = HostedRun.Run(Input, Lab);

        run.Code.Should().Be(ExitCode.Success);
        run.Spans.Select(s => s.DisplayName).Should().Contain(["batch_job", "batch_start", "read_input_data", "process_record", "batch_complete"]);
        run.Spans.Should().OnlyContain(s => Once(Tags(s, "cost_center"), "ml-platform") && Once(Tags(s, "team"), "lab one"));
    }

    [Fact]
    public void Every_stdout_line_and_every_log_record_carries_the_entries()
    {
        using var run = HostedRun.Run(Input, Lab);

        run.Lines.Should().HaveCountGreaterThan(5).And.OnlyContain(l => Field(l, "cost_center") == "ml-platform" && Field(l, "team") == "lab one");
        // All but the WARN that the closed port got nothing: it comes after the log exporter's flush.
        run.LogRecords.Should().HaveCount(run.Lines.Count(l => l.GetProperty("message").GetString() != "Telemetry not fully delivered"));
        run.LogRecords.Should().OnlyContain(r => Once(Attributes(r, "cost_center"), "ml-platform") && Once(Attributes(r, "team"), "lab one"));
    }

    [Theory]
    [InlineData("lab")]
    [InlineData("clef")]
    public void Stdout_lines_carry_the_entries_in_both_formats_with_telemetry_off(string format)
    {
        var (code, lines, stdout) = InProcessRun.Run(new Dictionary<string, string?>(Lab) { ["INPUT_PATH"] = InProcessRun.TempInput(Input), ["LOG_FORMAT"] = format });

        code.Should().Be(ExitCode.Success, stdout);
        lines.Should().HaveCountGreaterThan(5).And.OnlyContain(l => Field(l, "cost_center") == "ml-platform" && Field(l, "team") == "lab one", stdout);
    }

    [Fact]
    public void An_entry_named_like_a_field_neither_duplicates_nor_overrides_it()
    {
        // id is a field of the record lines, latency_ms of the record lines and spans, record.id of the record spans.
        using var run = HostedRun.Run(Input, new Dictionary<string, string?> { ["BAGGAGE"] = "id=x,latency_ms=y,record.id=z,team=t", ["MAX_FAILED_RATIO"] = "1" });

        run.Code.Should().Be(ExitCode.Success);
        var records = run.Lines.WithMessage("Record processed").ToList();
        records.Select(l => l.GetProperty("id").GetInt64()).Should().Equal(1, 3);
        records.Should().OnlyContain(l => Count(l, "id") == 1 && Count(l, "latency_ms") == 1 && l.GetProperty("latency_ms").ValueKind == JsonValueKind.Number);
        run.Lines.WithMessage("Starting batch inference job").Single().GetProperty("id").GetString().Should().Be("x", "a line without an id field gets the entry");
        run.Lines.Should().OnlyContain(l => Field(l, "team") == "t");

        var logs = run.LogRecords.Where(r => r.Attributes!.Any(a => a.Key == "prediction")).ToList();
        logs.Should().HaveCount(2);
        logs.Should().OnlyContain(r => Attributes(r, "id").Count == 1 && Attributes(r, "id")[0] is long);

        var recordSpans = run.Spans.Where(s => s.DisplayName == "process_record" && s.Status != ActivityStatusCode.Error).ToList();
        recordSpans.Should().HaveCount(2);
        recordSpans.Should().OnlyContain(s => Tags(s, "latency_ms").Count == 1 && Tags(s, "latency_ms")[0] is double && Tags(s, "record.id").Count == 1 && Tags(s, "record.id")[0] is long);
        run.Spans.Single(s => s.DisplayName == "batch_job").GetTagItem("latency_ms").Should().Be("y", "a span without the attribute gets the entry");
    }

    [Fact]
    public void A_malformed_baggage_is_one_warning_with_the_reason_and_no_entry_anywhere()
    {
        using var run = HostedRun.Run(Input, new Dictionary<string, string?> { ["BAGGAGE"] = "cost_center=ml platform", ["MAX_FAILED_RATIO"] = "1" });

        run.Code.Should().Be(ExitCode.Success);
        var warning = run.Lines.WithMessage("Baggage ignored").Should().ContainSingle().Subject;
        warning.GetProperty("level").GetString().Should().Be("WARN");
        warning.GetProperty("reason").GetString().Should().Contain("entry 1").And.Contain("cost_center");
        run.Lines.Should().OnlyContain(l => Field(l, "cost_center") == null);
        run.LogRecords.Should().OnlyContain(r => Attributes(r, "cost_center").Count == 0);
        run.Spans.Should().NotBeEmpty().And.OnlyContain(s => s.GetTagItem("cost_center") == null);
    }

    [Fact]
    public void A_valid_baggage_gives_no_warning()
    {
        using var run = HostedRun.Run(Input, Lab);

        run.Lines.WithMessage("Baggage ignored").Should().BeEmpty();
    }

    /// <summary>Exactly one value under the key, and the expected one.</summary>
    private static bool Once(List<object?> values, object expected) => values.Count == 1 && Equals(values[0], expected);

    private static List<object?> Tags(Activity span, string key) => [.. span.TagObjects.Where(t => t.Key == key).Select(t => t.Value)];

    private static List<object?> Attributes(OpenTelemetry.Logs.LogRecord record, string key) => [.. record.Attributes!.Where(a => a.Key == key).Select(a => a.Value)];

    private static string? Field(JsonElement line, string name) => line.TryGetProperty(name, out var value) ? value.GetString() : null;

    private static int Count(JsonElement line, string name) => line.EnumerateObject().Count(p => p.Name == name);
}
