using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using BatchJob.Input;
using BatchJob.Logging;
using Serilog;

namespace BatchJob.Tests.Logging;

/// <summary>The per-record line written straight to the sink equals, byte for byte, the line Serilog writes.</summary>
public sealed partial class RecordLineTests
{
    public static TheoryData<string, bool, bool, bool> Cases()
    {
        var data = new TheoryData<string, bool, bool, bool>();
        foreach (var layout in new[] { "lab", "clef" })
        {
            foreach (var textId in new[] { false, true })
            {
                foreach (var cost in new[] { false, true })
                {
                    foreach (var span in new[] { false, true })
                    {
                        data.Add(layout, textId, cost, span);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Direct_line_equals_the_Serilog_line(string layout, bool textId, bool withCost, bool withSpan)
    {
        using var source = new ActivitySource("RecordLineTests");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == source.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var span = withSpan ? source.StartActivity("process_record") : null;

        var id = textId ? new RecordId(0, "rec-\"7\"-é") : new RecordId(-42, null);
        double? cost = withCost ? 6.25e-12 : null;
        var viaSerilog = Write(layout, direct: false, log => log.RecordProcessed(id, 15.0, 0.0012, cost));
        var direct = Write(layout, direct: true, log => log.RecordProcessed(id, 15.0, 0.0012, cost));

        Timestamp().Replace(direct, "T").Should().Be(Timestamp().Replace(viaSerilog, "T"));
        direct.Should().Contain(withSpan ? span!.SpanId.ToHexString() : "Record processed");
    }

    private static string Write(string layout, bool direct, Action<BatchLog> write)
    {
        using var stdout = new MemoryStream();
        var sink = new JsonLinesSink(stdout, layout == "clef" ? new ClefLayout() : new LabJsonLayout(), TimeSpan.FromSeconds(1));
        using (var logger = new LoggerConfiguration().MinimumLevel.Information().WriteTo.Sink(sink).CreateLogger())
        {
            write(new BatchLog(logger, direct ? sink : null));
        }

        return Encoding.UTF8.GetString(stdout.ToArray());
    }

    [GeneratedRegex("\"@?t(imestamp)?\":\"[^\"]+\"")]
    private static partial Regex Timestamp();
}
