using System.Diagnostics;
using System.Text;
using System.Text.Json;
using BatchJob.Logging;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Parsing;

namespace BatchJob.Tests.Logging;

public sealed class LayoutTests
{
    private static readonly DateTimeOffset Time = new(2024, 1, 15, 10, 32, 0, 456, TimeSpan.Zero);
    private static readonly ActivityTraceId TraceId = ActivityTraceId.CreateFromString("0af7651916cd43dd8448eb211c80319c");
    private static readonly ActivitySpanId SpanId = ActivitySpanId.CreateFromString("b7ad6b7169203331");

    private static LogEvent RecordEvent(LogEventLevel level = LogEventLevel.Information) => new(
        Time, level, null, new MessageTemplateParser().Parse("Record processed"),
        [
            new LogEventProperty("id", new ScalarValue(1L)),
            new LogEventProperty("prediction", new ScalarValue(6.0)),
            new LogEventProperty("latency_ms", new ScalarValue(0.0123)),
            new LogEventProperty("cost_usd", new ScalarValue(7.6875e-11)),
            new LogEventProperty("@odd", new ScalarValue("x")),
        ],
        TraceId,
        SpanId);

    /// <summary>Through the real sink, as stdout gets it: one line, newline-terminated.</summary>
    private static string Render(IJsonLogLayout layout, LogEvent logEvent)
    {
        using var buffer = new MemoryStream();
        using (var sink = new JsonLinesSink(buffer, layout, TimeSpan.FromHours(1)))
        {
            sink.Emit(logEvent);
        }

        var text = Encoding.UTF8.GetString(buffer.ToArray());
        text.Should().EndWith("\n").And.Subject.Count(c => c == '\n').Should().Be(1);
        return text.TrimEnd('\n');
    }

    [Fact]
    public void Lab_layout_writes_the_contract_fields_in_order()
    {
        Render(new LabJsonLayout(), RecordEvent()).Should().Be(
            """{"timestamp":"2024-01-15T10:32:00.456Z","level":"INFO","message":"Record processed","id":1,"prediction":6.0,"latency_ms":0.0123,"cost_usd":7.6875E-11,"@odd":"x","trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331"}""");
    }

    [Theory]
    [InlineData(LogEventLevel.Warning, "WARN")]
    [InlineData(LogEventLevel.Error, "ERROR")]
    [InlineData(LogEventLevel.Fatal, "ERROR")]
    [InlineData(LogEventLevel.Debug, "DEBUG")]
    public void Lab_layout_spells_levels_as_the_guide_does(LogEventLevel level, string expected) =>
        JsonDocument.Parse(Render(new LabJsonLayout(), RecordEvent(level))).RootElement.GetProperty("level").GetString().Should().Be(expected);

    /// <summary>Events of every shape the layouts meet: levels, exception, trace context, nested values, odd names and text.</summary>
    public static TheoryData<string> ClefCases => new(ClefEvents.Keys);

    private static readonly Dictionary<string, LogEvent> ClefEvents = new()
    {
        ["record"] = RecordEvent(),
        ["warning"] = RecordEvent(LogEventLevel.Warning),
        ["debug"] = RecordEvent(LogEventLevel.Debug),
        ["fatal, with exception, no trace"] = new LogEvent(
            new DateTimeOffset(2024, 1, 15, 10, 32, 0, TimeSpan.FromHours(2)).AddTicks(1234567), LogEventLevel.Fatal, new InvalidOperationException("boom \"quoted\"\n"),
            new MessageTemplateParser().Parse("Batch job crashed"), [new LogEventProperty("error", new ScalarValue("InvalidOperationException: boom"))]),
        ["nested and odd values"] = new LogEvent(Time, LogEventLevel.Error, null, new MessageTemplateParser().Parse("Batch job completed"),
        [
            new LogEventProperty("summary", new StructureValue([
                new LogEventProperty("avg_prediction", new ScalarValue(10.5)),
                new LogEventProperty("whole", new ScalarValue(6.0)),
                new LogEventProperty("tiny", new ScalarValue(2.5e-7)),
                new LogEventProperty("huge", new ScalarValue(1e21)),
                new LogEventProperty("sum", new ScalarValue(0.1 + 0.2)),
                new LogEventProperty("total_records", new ScalarValue(2L)),
                new LogEventProperty("int", new ScalarValue(-3)),
                new LogEventProperty("price", new ScalarValue(0.040m)),
                new LogEventProperty("interrupted", new ScalarValue(false)),
                new LogEventProperty("output", new ScalarValue(null)),
            ])),
            new LogEventProperty("errors", new SequenceValue([new ScalarValue("a \"b\" + <c> & 'd' \\ é 日本 \u0001\t\r\n"), new ScalarValue(null)])),
            new LogEventProperty("@t", new ScalarValue("not the timestamp")),
        ]),
        ["values of every scalar kind"] = new LogEvent(Time, LogEventLevel.Information, null, new MessageTemplateParser().Parse("Batch progress"),
        [
            // NaN and infinities are refused, not written (OverflowingAggregateTests).
            new LogEventProperty("minus_zero", new ScalarValue(-0.0)),
            new LogEventProperty("float", new ScalarValue(0.1f)),
            new LogEventProperty("whole_float", new ScalarValue(3f)),
            new LogEventProperty("uint", new ScalarValue(7u)),
            new LogEventProperty("ulong", new ScalarValue(ulong.MaxValue)),
            new LogEventProperty("short", new ScalarValue((short)-5)),
            new LogEventProperty("byte", new ScalarValue((byte)255)),
            new LogEventProperty("char", new ScalarValue('c')),
            new LogEventProperty("when", new ScalarValue(new DateTimeOffset(2024, 1, 15, 10, 32, 0, TimeSpan.FromHours(-5)))),
            new LogEventProperty("utc", new ScalarValue(new DateTime(2024, 1, 15, 10, 32, 0, 100, DateTimeKind.Utc))),
            new LogEventProperty("tagged", new StructureValue([new LogEventProperty("a", new ScalarValue(1L))], "Progress")),
            new LogEventProperty("map", new DictionaryValue([new(new ScalarValue("k"), new ScalarValue(1.5)), new(new ScalarValue(2L), new ScalarValue(null))])),
        ]),
        ["template with formats"] = new LogEvent(Time, LogEventLevel.Information, null, new MessageTemplateParser().Parse("Rate {rate:0.0}/s after {elapsed} s, {pct:P0}"),
        [
            new LogEventProperty("rate", new ScalarValue(1234.567)),
            new LogEventProperty("elapsed", new ScalarValue(2.5)),
            new LogEventProperty("pct", new ScalarValue(0.25)),
        ]),
    };

    [Theory]
    [MemberData(nameof(ClefCases))]
    public void Clef_layout_writes_what_Serilog_Formatting_Compact_writes(string name)
    {
        var logEvent = ClefEvents[name];
        using var reference = new StringWriter();
        new CompactJsonFormatter().Format(logEvent, reference);

        Render(new ClefLayout(), logEvent).Should().Be(reference.ToString().TrimEnd('\n'));
    }

    [Fact]
    public void Nested_structures_and_sequences_stay_JSON()
    {
        var logEvent = new LogEvent(Time, LogEventLevel.Information, null, new MessageTemplateParser().Parse("Batch job completed"),
        [
            new LogEventProperty("summary", new StructureValue([new LogEventProperty("avg_prediction", new ScalarValue(10.5)), new LogEventProperty("total_records", new ScalarValue(2L))])),
            new LogEventProperty("errors", new SequenceValue([new ScalarValue("a \"b\" + <c>"), new ScalarValue(null)])),
        ]);

        Render(new LabJsonLayout(), logEvent).Should().Be(
            """{"timestamp":"2024-01-15T10:32:00.456Z","level":"INFO","message":"Batch job completed","summary":{"avg_prediction":10.5,"total_records":2},"errors":["a \"b\" + <c>",null]}""");
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
        Encoding.ASCII.GetString(buffer[..JsonNumbers.Format(value, buffer, "value")]).Should().Be(expected);
        double.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).Should().Be(value);
    }
}
