using System.Text;
using BatchJob.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace BatchJob.Tests.Logging;

/// <summary>
/// The sink's promise: a buffered line reaches the output within maxDelay even when no further
/// event comes (a slow batch with LOG_RECORDS=false logs nothing for minutes). Time is a fake
/// clock the test advances, so nothing here depends on the machine's speed.
/// </summary>
public sealed class JsonLinesSinkTests
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(500);

    [Fact]
    public void A_buffered_line_reaches_the_output_at_maxDelay_without_a_further_event()
    {
        var time = new FakeTimeProvider();
        using var output = new MemoryStream();
        using var sink = Sink(output, time);

        Write(sink, LogLevel.Information, "Starting batch inference job");
        Text(output).Should().BeEmpty("INFO lines are buffered");

        time.Advance(MaxDelay - TimeSpan.FromMilliseconds(1));
        Text(output).Should().BeEmpty("not yet due");

        time.Advance(TimeSpan.FromMilliseconds(1));
        Text(output).Should().Contain("Starting batch inference job").And.EndWith("\n");
    }

    [Fact]
    public void Every_line_waits_at_most_maxDelay_however_the_lines_are_spread()
    {
        var time = new FakeTimeProvider();
        using var output = new MemoryStream();
        using var sink = Sink(output, time);

        // A line every 200 ms: each flush must cover the lines logged since the previous one.
        for (var i = 1; i <= 10; i++)
        {
            Write(sink, LogLevel.Information, $"line {i}");
            time.Advance(TimeSpan.FromMilliseconds(200));
            var due = Enumerable.Range(1, i).Where(n => (i - n + 1) * 200 >= MaxDelay.TotalMilliseconds);
            var text = Text(output);
            foreach (var n in due)
            {
                text.Should().Contain($"line {n}\"", $"line {n} was logged {(i - n + 1) * 200} ms ago");
            }
        }

        time.Advance(MaxDelay);
        Text(output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(10);
    }

    [Fact]
    public void Warnings_flush_at_once()
    {
        var time = new FakeTimeProvider();
        using var output = new MemoryStream();
        using var sink = Sink(output, time);

        Write(sink, LogLevel.Information, "before");
        Write(sink, LogLevel.Warning, "now");

        Text(output).Should().Contain("before").And.Contain("now");
    }

    [Fact]
    public void A_failing_output_never_throws_it_keeps_the_error_and_signals_it()
    {
        var time = new FakeTimeProvider();
        using var output = new FailingStream();
        using var sink = Sink(output, time);

        Write(sink, LogLevel.Information, "buffered");
        sink.OutputBroken.IsCancellationRequested.Should().BeFalse();
        var timerFlush = () => time.Advance(MaxDelay);
        timerFlush.Should().NotThrow("the timer's flush runs on a pool thread, where a throw ends the process");
        var direct = () => Write(sink, LogLevel.Information, "Record processed");
        direct.Should().NotThrow();
        sink.Flush();

        sink.OutputFailure.Should().BeOfType<IOException>().Which.Message.Should().Be("No space left on device");
        sink.OutputBroken.IsCancellationRequested.Should().BeTrue();
        output.Writes.Should().Be(1, "after the first failure lines are dropped, not retried");
    }

    private static JsonLinesSink Sink(Stream output, TimeProvider time) => new(output, new LabJsonLayout(), MaxDelay, time);

    private static void Write(JsonLinesSink sink, LogLevel level, string message)
    {
        var line = new LogLine();
        line.Start(DateTime.UtcNow, level, message, span: null);
        sink.Write(line);
    }

    private static string Text(MemoryStream output) => Encoding.UTF8.GetString(output.ToArray());

    /// <summary>A stdout on a full device: every write fails.</summary>
    private sealed class FailingStream : MemoryStream
    {
        public int Writes { get; private set; }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Writes++;
            throw new IOException("No space left on device");
        }
    }
}
