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

    [Theory]
    [InlineData(LogEventLevel.Information)]
    [InlineData(LogEventLevel.Warning)]
    public void Clef_layout_writes_what_Serilog_Formatting_Compact_writes(LogEventLevel level)
    {
        using var package = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        new CompactJsonFormatter().Format(RecordEvent(level), package);

        Render(new ClefLayout(), RecordEvent(level)).Should().Be(package.ToString().TrimEnd('\n'));
        Render(new ClefLayout(), RecordEvent()).Should().Be(
            """{"@t":"2024-01-15T10:32:00.4560000Z","@mt":"Record processed","@tr":"0af7651916cd43dd8448eb211c80319c","@sp":"b7ad6b7169203331","id":1,"prediction":6,"latency_ms":0.0123,"cost_usd":7.6875E-11,"@@odd":"x"}""");
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
        Encoding.ASCII.GetString(buffer[..JsonNumbers.Format(value, buffer)]).Should().Be(expected);
        double.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).Should().Be(value);
    }
}
