using System.Diagnostics;
using System.Text;
using System.Text.Json;
using BatchJob.Input;
using BatchJob.Json;
using BatchJob.Logging;
using Microsoft.Extensions.Logging;

namespace BatchJob.Tests.Logging;

public sealed class LayoutTests
{
    // Ticks below the millisecond, as the clock has them: "O" writes all seven digits.
    private static readonly DateTime Time = new DateTime(2024, 1, 15, 10, 32, 0, DateTimeKind.Utc).AddTicks(4_560_000);
    private static readonly DateTime OddTime = new DateTime(2024, 1, 15, 10, 32, 0, DateTimeKind.Utc).AddTicks(4_567_891);
    private static readonly ActivityTraceId TraceId = ActivityTraceId.CreateFromString("0af7651916cd43dd8448eb211c80319c");
    private static readonly ActivitySpanId SpanId = ActivitySpanId.CreateFromString("b7ad6b7169203331");

    private static LogLine Line(DateTime time, LogLevel level, string message, bool inSpan, params LogField[] fields)
    {
        using var span = inSpan ? new Activity("test").SetParentId(TraceId, SpanId).Start() : null;
        var line = new LogLine();
        line.Start(time, level, message, span);
        foreach (var field in fields)
        {
            line.Add(field);
        }

        return line;
    }

    private static LogLine RecordLine(LogLevel level = LogLevel.Information) => Line(Time, level, "Record processed", inSpan: false,
        LogField.Of("id", 1L), LogField.Of("prediction", 6.0), LogField.Of("latency_ms", 0.0123), LogField.Of("cost_usd", 7.6875e-11), LogField.Of("@odd", "x"));

    /// <summary>Through the real sink, as stdout gets it: one line, newline-terminated.</summary>
    private static string Render(ILogLineLayout layout, LogLine line)
    {
        using var buffer = new MemoryStream();
        using (var sink = new JsonLinesSink(buffer, layout, TimeSpan.FromHours(1)))
        {
            sink.Write(line);
        }

        var text = Encoding.UTF8.GetString(buffer.ToArray());
        text.Should().EndWith("\n").And.Subject.Count(c => c == '\n').Should().Be(1);
        return text.TrimEnd('\n');
    }

    [Fact]
    public void Lab_layout_writes_the_contract_fields_in_order()
    {
        Render(new LabJsonLayout(), RecordLine()).Should().Be(
            """{"timestamp":"2024-01-15T10:32:00.456Z","level":"INFO","message":"Record processed","id":1,"prediction":6.0,"latency_ms":0.0123,"cost_usd":7.6875E-11,"@odd":"x"}""");
    }

    [Fact]
    public void Lab_layout_ends_with_the_span_ids_when_written_in_a_span()
    {
        var line = Line(Time, LogLevel.Information, "Record processed", inSpan: true, LogField.Of("id", 1L));

        Render(new LabJsonLayout(), line).Should().EndWith($"\"id\":1,\"trace_id\":\"{TraceId}\",\"span_id\":\"{line.SpanId}\"}}");
    }

    [Theory]
    [InlineData(LogLevel.Warning, "WARN")]
    [InlineData(LogLevel.Error, "ERROR")]
    [InlineData(LogLevel.Critical, "ERROR")]
    [InlineData(LogLevel.Debug, "DEBUG")]
    public void Lab_layout_spells_levels_as_the_guide_does(LogLevel level, string expected) =>
        JsonDocument.Parse(Render(new LabJsonLayout(), RecordLine(level))).RootElement.GetProperty("level").GetString().Should().Be(expected);

    [Fact]
    public void Nested_fields_and_lists_stay_JSON()
    {
        var line = Line(Time, LogLevel.Information, "Batch job completed", inSpan: false,
            LogField.Object("summary", [LogField.Of("avg_prediction", 10.5), LogField.Of("total_records", 2L)]),
            LogField.List("errors", ["a \"b\" + <c>", "d"]));

        Render(new LabJsonLayout(), line).Should().Be(
            """{"timestamp":"2024-01-15T10:32:00.456Z","level":"INFO","message":"Batch job completed","summary":{"avg_prediction":10.5,"total_records":2},"errors":["a \"b\" + <c>","d"]}""");
    }

    /// <summary>Lines of every shape the layouts meet: levels, trace context, every field kind, odd names and text.</summary>
    public static TheoryData<string> ClefCases => new(ClefLines.Keys);

    private static readonly Dictionary<string, Func<LogLine>> ClefLines = BuildClefLines();

    private static Dictionary<string, Func<LogLine>> BuildClefLines()
    {
        var lines = new Dictionary<string, Func<LogLine>>
        {
            ["record"] = () => RecordLine(),
            ["warning"] = () => RecordLine(LogLevel.Warning),
            ["debug"] = () => RecordLine(LogLevel.Debug),
            ["trace"] = () => RecordLine(LogLevel.Trace),
            ["error, in a span, odd time"] = () => Line(OddTime, LogLevel.Error, "Batch job crashed", inSpan: true,
                LogField.Of("error", "InvalidOperationException: boom \"quoted\"\n"), LogField.Of("exception", "System.InvalidOperationException: boom\n   at X.Y()")),
            ["critical"] = () => Line(Time, LogLevel.Critical, "fatal", inSpan: false),
            ["nested and odd values"] = () => Line(Time, LogLevel.Error, "Batch job completed", inSpan: false,
                LogField.Object("summary",
                [
                    LogField.Of("avg_prediction", 10.5), LogField.Of("whole", 6.0), LogField.Of("tiny", 2.5e-7), LogField.Of("huge", 1e21),
                    LogField.Of("sum", 0.1 + 0.2), LogField.Of("total_records", 2L), LogField.Of("min", long.MinValue), LogField.Of("max", long.MaxValue),
                    LogField.Of("interrupted", false), LogField.Null("output"), LogField.Object("deeper", [LogField.Of("x", true)]),
                ]),
                LogField.List("errors", ["a \"b\" + <c> & 'd' \\ é 日本 \u0001\u001b\u007f\b\f\t\r\n \u2028 😀 \ud800", ""]),
                LogField.Of("@t", "not the timestamp")),
            ["values of every scalar kind"] = () => Line(Time, LogLevel.Information, "Batch progress", inSpan: false,
                LogField.Of("minus_zero", -0.0), LogField.Of("epsilon", double.Epsilon), LogField.Of("max", double.MaxValue),
                LogField.Of("none", (double?)null), LogField.Of("bytes", (long?)78), LogField.Of("flag", (bool?)null)),
        };

        // The record line in every shape the run writes: numeric and text ids, whole, long and tiny
        // predictions, with and without cost, in and out of a span.
        foreach (var id in new[] { "-42", "rec-\"7\"-é\\\t", "a\u2028b<+>" })
        {
            foreach (var prediction in new[] { 15.0, 0.1 + 0.2, -2.5e-7 })
            {
                foreach (var (cost, inSpan) in new[] { (true, true), (false, true), (true, false) })
                {
                    var recordId = long.TryParse(id, out var number) ? new RecordId(number, null) : new RecordId(0, id);
                    lines[$"record {id} {prediction} cost={cost} span={inSpan}"] = () => cost
                        ? Line(OddTime, LogLevel.Information, "Record processed", inSpan, LogField.Of("id", recordId), LogField.Of("prediction", prediction), LogField.Of("latency_ms", 0.0012), LogField.Of("cost_usd", 6.25e-12))
                        : Line(OddTime, LogLevel.Information, "Record processed", inSpan, LogField.Of("id", recordId), LogField.Of("prediction", prediction), LogField.Of("latency_ms", 0.0012));
                }
            }
        }

        return lines;
    }

    [Theory]
    [MemberData(nameof(ClefCases))]
    public void Clef_layout_writes_what_Serilog_Formatting_Compact_writes(string name)
    {
        var line = ClefLines[name]();

        Render(new ClefLayout(), line).Should().Be(SerilogReference.Clef(line).TrimEnd('\n'));
    }

    [Fact]
    public void Clef_record_line_is_what_the_package_writes_not_the_lab_spelling()
    {
        var line = Line(OddTime, LogLevel.Information, "Record processed", inSpan: true, LogField.Of("id", 1L), LogField.Of("prediction", 6.0), LogField.Of("latency_ms", 0.0123));

        Render(new ClefLayout(), line).Should().Be(
            $$"""{"@t":"2024-01-15T10:32:00.4567891Z","@mt":"Record processed","@tr":"0af7651916cd43dd8448eb211c80319c","@sp":"{{line.SpanId}}","id":1,"prediction":6,"latency_ms":0.0123}""");
    }

    [Theory]
    [InlineData("lab", double.NaN)]
    [InlineData("lab", double.PositiveInfinity)]
    [InlineData("clef", double.NegativeInfinity)]
    [InlineData("clef", double.NaN)]
    public void A_number_JSON_cannot_hold_is_refused_by_name_and_leaves_no_half_line(string format, double value)
    {
        using var buffer = new MemoryStream();
        using (var sink = new JsonLinesSink(buffer, format == "clef" ? new ClefLayout() : new LabJsonLayout(), TimeSpan.FromHours(1)))
        {
            var bad = Line(Time, LogLevel.Information, "Batch job completed", inSpan: false, LogField.Object("summary", [LogField.Of("avg_prediction", value)]));
            var write = () => sink.Write(bad);
            write.Should().Throw<InvalidOperationException>().WithMessage("*'avg_prediction'*");
            sink.Write(RecordLine());
        }

        var lines = Encoding.UTF8.GetString(buffer.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle().Which.Should().Contain("Record processed");
        JsonDocument.Parse(lines[0]).Should().NotBeNull();
    }

    [Theory]
    [InlineData(6.0, "6.0")]
    [InlineData(15.0, "15.0")]
    [InlineData(10.5, "10.5")]
    [InlineData(-3.0, "-3.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(1e21, "1E+21")]
    [InlineData(2.5e-7, "2.5E-07")]
    [InlineData(123456789012.0, "123456789012.0")]
    public void Doubles_print_shortest_round_trip_with_a_point_when_whole(double value, string expected)
    {
        Span<byte> buffer = stackalloc byte[40];
        Encoding.ASCII.GetString(buffer[..JsonNumbers.Format(value, buffer, "x")]).Should().Be(expected);
        double.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).Should().Be(value);
    }
}
