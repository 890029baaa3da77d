using System.IO.Pipes;
using System.Text;
using BatchJob.Input;

namespace BatchJob.Tests.Input;

public sealed class JsonLinesReaderTests
{
    private static List<(LineKind Kind, string Text, long Line)> ReadAll(byte[] input, int maxLineBytes = 1024, Stream? stream = null)
    {
        using var reader = new JsonLinesReader(stream ?? new MemoryStream(input), maxLineBytes);
        var lines = new List<(LineKind, string, long)>();
        while (reader.Read(out var line) is var kind && kind != LineKind.End)
        {
            lines.Add((kind, Encoding.UTF8.GetString(line), reader.LineNumber));
        }

        return lines;
    }

    [Fact]
    public void Reads_LF_and_CRLF_lines_blank_lines_and_a_last_line_without_newline()
    {
        var lines = ReadAll("a\r\n\nb\n  \t\r\nc"u8.ToArray());

        lines.Should().Equal(
            (LineKind.Content, "a", 1L),
            (LineKind.Blank, "", 2L),
            (LineKind.Content, "b", 3L),
            (LineKind.Blank, "  \t", 4L),
            (LineKind.Content, "c", 5L));
    }

    [Fact]
    public void Skips_a_UTF8_byte_order_mark_at_the_start_only()
    {
        var lines = ReadAll([0xEF, 0xBB, 0xBF, (byte)'x', (byte)'\n', 0xEF, 0xBB, 0xBF, (byte)'y']);

        lines.Select(l => l.Text).Should().Equal("x", "\uFEFFy");
    }

    [Fact]
    public void A_line_over_the_limit_fails_alone_and_the_next_line_is_read()
    {
        var input = Encoding.UTF8.GetBytes("ok1\n" + new string('x', 5000) + "\nok2\n" + new string('y', 64) + "\n" + new string('z', 65));

        var lines = ReadAll(input, maxLineBytes: 64);

        lines.Should().Equal(
            (LineKind.Content, "ok1", 1L),
            (LineKind.TooLong, "", 2L),
            (LineKind.Content, "ok2", 3L),
            (LineKind.Content, new string('y', 64), 4L),
            (LineKind.TooLong, "", 5L));
    }

    [Fact]
    public void A_huge_line_streams_past_without_being_buffered_whole()
    {
        // 50 MB of one line through a 1 KiB limit: the reader must not hold it (it would need 50 MB).
        var stream = new RepeatingStream(50_000_000);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var lines = ReadAll([], maxLineBytes: 1024, stream);

        lines.Should().Equal((LineKind.TooLong, "", 1L), (LineKind.Content, "tail", 2L));
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(2_000_000);
    }

    [Fact]
    public void Counts_bytes_and_lines_across_many_buffer_refills()
    {
        var text = string.Concat(Enumerable.Range(1, 20_000).Select(i => $"{{\"id\": {i}}}\n"));

        using var reader = new JsonLinesReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), 128);
        var count = 0;
        while (reader.Read(out var line) == LineKind.Content)
        {
            count++;
            Encoding.UTF8.GetString(line).Should().Be($"{{\"id\": {count}}}");
        }

        count.Should().Be(20_000);
        reader.BytesRead.Should().Be(Encoding.UTF8.GetByteCount(text));
    }

    [Theory]
    [InlineData(true)] // /dev/zero: seekable, every read returns at once
    [InlineData(false)] // a pipe fed without end
    public void A_cancellation_ends_a_skip_through_a_line_that_never_ends(bool seekable)
    {
        using var cancel = new CancellationTokenSource();
        // Cancels once 20 MB have streamed past: by then the reader is deep in the skip.
        using var stream = new EndlessStream(seekable, afterBytes: 20_000_000, cancel.Cancel);
        using var reader = new JsonLinesReader(stream, 1024, cancel.Token);

        var read = () => reader.Read(out _);

        read.Should().Throw<OperationCanceledException>();
        stream.Served.Should().BeGreaterThanOrEqualTo(20_000_000);
    }

    [Fact]
    public async Task A_cancellation_ends_a_read_that_waits_on_a_pipe()
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, pipe.ClientSafePipeHandle);
        using var cancel = new CancellationTokenSource();
        using var reader = new JsonLinesReader(client, 1024, cancel.Token);
        pipe.Write("{\"id\": 1}\n"u8);

        reader.Read(out var first).Should().Be(LineKind.Content);
        Encoding.UTF8.GetString(first).Should().Be("{\"id\": 1}");
        // The writer stays open and silent: the next read waits in read() until the cancellation.
        var waiting = Task.Run(() => reader.Read(out _));
        cancel.Cancel();

        // 60 s only catches a read the cancellation did not end.
        var ended = async () => await waiting.WaitAsync(TimeSpan.FromSeconds(60));
        await ended.Should().ThrowAsync<OperationCanceledException>();
    }

    /// <summary>Zero bytes without end (no newline ever), calling <c>onLimit</c> once <c>afterBytes</c> have been served.</summary>
    private sealed class EndlessStream(bool seekable, long afterBytes, Action onLimit) : Stream
    {
        public long Served { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => seekable;

        public override bool CanWrite => false;

        public override long Length => 0;

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Clear(buffer, offset, count);
            var before = Served;
            Served += count;
            if (before < afterBytes && Served >= afterBytes)
            {
                onLimit();
            }

            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => 0;

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A stream of <c>length</c> 'x' bytes then "\ntail", produced on the fly.</summary>
    private sealed class RepeatingStream(long length) : Stream
    {
        private readonly byte[] _tail = "\ntail"u8.ToArray();
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length + _tail.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var written = 0;
            while (written < count && _position < Length)
            {
                buffer[offset + written++] = _position < length ? (byte)'x' : _tail[_position - length];
                _position++;
            }

            return written;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
