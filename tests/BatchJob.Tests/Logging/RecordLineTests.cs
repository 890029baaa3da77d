using System.Diagnostics;
using System.Text;
using BatchJob.Input;
using BatchJob.Logging;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Parsing;

namespace BatchJob.Tests.Logging;

/// <summary>
/// The per-record line written straight from its fields is, byte for byte, the line the formatter
/// writes for the same Serilog event: Serilog.Formatting.Compact's own CompactJsonFormatter in
/// clef mode, the lab layout in lab mode.
/// </summary>
public sealed class RecordLineTests
{
    // Ticks below the millisecond, as DateTime.UtcNow has them: "O" writes all seven digits.
    private static readonly DateTime Time = new DateTime(2024, 1, 15, 10, 32, 0, DateTimeKind.Utc).AddTicks(4_567_891);
    private static readonly ActivityTraceId TraceId = ActivityTraceId.CreateFromString("0af7651916cd43dd8448eb211c80319c");
    private static readonly ActivitySpanId SpanId = ActivitySpanId.CreateFromString("b7ad6b7169203331");

    public static TheoryData<string, string, double, bool, bool> Cases()
    {
        var data = new TheoryData<string, string, double, bool, bool>();
        foreach (var layout in new[] { "lab", "clef" })
        {
            // A numeric id, and text ids with what JSON must escape, non-ASCII, and a line separator.
            foreach (var id in new[] { "-42", "rec-\"7\"-é\\\t", "a\u2028b<+>" })
            {
                // A whole number (6.0 in lab, 6 in clef), a long fraction, and a tiny exponent.
                foreach (var prediction in new[] { 15.0, 0.1 + 0.2, -2.5e-7 })
                {
                    data.Add(layout, id, prediction, true, true);
                }

                data.Add(layout, id, 15.0, false, true);
                data.Add(layout, id, 15.0, true, false);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Direct_line_equals_the_formatters_line(string layout, string id, double prediction, bool withCost, bool withSpan)
    {
        var recordId = long.TryParse(id, out var number) ? new RecordId(number, null) : new RecordId(0, id);
        double? cost = withCost ? 6.25e-12 : null;
        var line = new RecordLine(Time, recordId, prediction, 0.0012, cost, withSpan ? TraceId : default, withSpan ? SpanId : default, withSpan);

        var direct = Render(layout, sink => sink.EmitRecordProcessed(line));
        var logEvent = Event(line);
        var expected = layout == "clef" ? CompactJsonFormatterOutput(logEvent) : Render(layout, sink => sink.Emit(logEvent));

        direct.Should().Be(expected);
        direct.Should().Contain(withSpan ? SpanId.ToHexString() : "Record processed");
    }

    [Fact]
    public void Clef_record_line_is_what_the_package_writes_not_the_lab_spelling()
    {
        var line = new RecordLine(Time, new RecordId(1, null), 6.0, 0.0123, null, TraceId, SpanId, HasSpan: true);

        Render("clef", sink => sink.EmitRecordProcessed(line)).Should().Be(
            """{"@t":"2024-01-15T10:32:00.4567891Z","@mt":"Record processed","@tr":"0af7651916cd43dd8448eb211c80319c","@sp":"b7ad6b7169203331","id":1,"prediction":6,"latency_ms":0.0123}""" + "\n");
    }

    /// <summary>The event BatchLog's Serilog path would create for the line: same time, ids and fields in the same order.</summary>
    private static LogEvent Event(in RecordLine line)
    {
        var properties = new List<LogEventProperty>
        {
            new("id", new ScalarValue(line.Id.ToAttribute())),
            new("prediction", new ScalarValue(line.Prediction)),
            new("latency_ms", new ScalarValue(line.LatencyMs)),
        };
        if (line.CostUsd is { } cost)
        {
            properties.Add(new("cost_usd", new ScalarValue(cost)));
        }

        var template = new MessageTemplateParser().Parse("Record processed");
        return line.HasSpan
            ? new LogEvent(new DateTimeOffset(line.Timestamp), LogEventLevel.Information, null, template, properties, line.TraceId, line.SpanId)
            : new LogEvent(new DateTimeOffset(line.Timestamp), LogEventLevel.Information, null, template, properties);
    }

    private static string CompactJsonFormatterOutput(LogEvent logEvent)
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        new CompactJsonFormatter().Format(logEvent, text);
        return text.ToString();
    }

    private static string Render(string layout, Action<JsonLinesSink> write)
    {
        using var stdout = new MemoryStream();
        using (var sink = new JsonLinesSink(stdout, layout == "clef" ? new ClefLayout() : new LabJsonLayout(), TimeSpan.FromHours(1)))
        {
            write(sink);
        }

        return Encoding.UTF8.GetString(stdout.ToArray());
    }
}
