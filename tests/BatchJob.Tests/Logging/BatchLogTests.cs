using System.Text.Json;
using BatchJob.Configuration;
using BatchJob.Input;
using BatchJob.Logging;

namespace BatchJob.Tests.Logging;

public sealed class BatchLogTests
{
    private static List<JsonElement> Capture(Action<BatchLog> write) =>
        LogCapture.Render(LogFormat.Lab, write).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    [Fact]
    public void A_crash_is_one_ERROR_line_with_the_error_and_no_stack_trace()
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("disk on fire");
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }

        var line = Capture(log => log.Crashed(thrown)).Should().ContainSingle().Subject;

        line.GetProperty("level").GetString().Should().Be("ERROR");
        line.GetProperty("message").GetString().Should().Be("Batch job crashed");
        line.GetProperty("error").GetString().Should().Be("InvalidOperationException: disk on fire");
        line.TryGetProperty("exception", out _).Should().BeFalse("no stack trace reaches stdout");
        line.ToString().Should().NotContain(nameof(A_crash_is_one_ERROR_line_with_the_error_and_no_stack_trace));
    }

    [Fact]
    public void Record_lines_omit_cost_when_cost_tracking_is_off_and_keep_string_ids_as_strings()
    {
        var lines = Capture(log =>
        {
            log.RecordProcessed(new RecordId(0, "rec-1"), 6.0, 0.5, null);
            log.RecordProcessed(new RecordId(2, null), 15.0, 0.25, 1e-9);
        });

        lines[0].GetProperty("id").GetString().Should().Be("rec-1");
        lines[0].TryGetProperty("cost_usd", out _).Should().BeFalse();
        lines[1].GetProperty("id").GetInt64().Should().Be(2);
        lines[1].GetProperty("cost_usd").GetDouble().Should().Be(1e-9);
    }
}
