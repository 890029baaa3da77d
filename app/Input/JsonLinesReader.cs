using System.Buffers;
using System.Security.Cryptography;

namespace BatchJob.Input;

/// <summary>
/// Streams lines out of a JSON Lines file through one reused buffer: never the whole file in memory,
/// never a string per line. Handles LF and CRLF, a UTF-8 byte order mark, a last line without a
/// newline, and lines over <c>maxLineBytes</c>, which are skipped as they stream past.
/// A cancellation ends a read that waits on a pipe and a skip that never meets a newline
/// (<c>/dev/zero</c>): <see cref="Read"/> then throws <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class JsonLinesReader : IDisposable
{
    private const int ReadChunk = 64 * 1024;

    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private readonly CancellationToken _cancellation;
    // A pipe or FIFO (no seeking) can block in read() for as long as its writer waits; a regular
    // file cannot, so only a pipe pays for a read the cancellation can abandon.
    private readonly bool _interruptible;
    private Task<int>? _read;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private bool _atFileStart = true;
    // RESUME: the consumed bytes, hashed as they leave the buffer; _hashed is how far into the buffer that has gone.
    private readonly IncrementalHash? _hash;
    private int _hashed;

    public JsonLinesReader(Stream stream, int maxLineBytes, CancellationToken cancellation = default)
        : this(stream, maxLineBytes, startOffset: 0, startLine: 0, hash: null, cancellation)
    {
    }

    /// <summary>A reader that continues a run: <paramref name="stream"/> is positioned at <paramref name="startOffset"/>, the end of line <paramref name="startLine"/>.</summary>
    /// <param name="hash">Holds the bytes before <paramref name="startOffset"/> and takes every byte consumed from here (<see cref="ConsumedHash"/>); null for none.</param>
    public JsonLinesReader(Stream stream, int maxLineBytes, long startOffset, long startLine, IncrementalHash? hash, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        _stream = stream;
        _maxLineBytes = maxLineBytes;
        _cancellation = cancellation;
        _interruptible = cancellation.CanBeCanceled && !stream.CanSeek;
        // Room for the longest allowed line, its CRLF, and a full read: a line that does not fit is too long.
        _buffer = ArrayPool<byte>.Shared.Rent(maxLineBytes + 2 + ReadChunk);
        BytesRead = startOffset;
        LineNumber = startLine;
        _atFileStart = startOffset == 0;
        _hash = hash;
    }

    /// <summary>1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Bytes of input read from the stream so far (up to one read ahead of the lines returned).</summary>
    public long BytesRead { get; private set; }

    /// <summary>Bytes of input up to the end of the line last returned: the progress through the file.</summary>
    public long BytesConsumed => BytesRead - (_end - _start);

    /// <summary>The hash of the input from its first byte to <see cref="BytesConsumed"/>: what a checkpoint binds itself to.</summary>
    public byte[] ConsumedHash()
    {
        HashConsumed(_start);
        return _hash?.GetCurrentHash() ?? [];
    }

    /// <summary>Reads the next line. <paramref name="line"/> is valid until the next call; for <see cref="LineKind.TooLong"/> it is empty.</summary>
    public LineKind Read(out ReadOnlySpan<byte> line)
    {
        line = default;
        var skipping = false;
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                _start += newline + 1;
                LineNumber++;
                if (skipping)
                {
                    return LineKind.TooLong;
                }

                return Classify(pending[..newline], out line);
            }

            if (skipping || pending.Length > _maxLineBytes + 1)
            {
                // No newline within the limit: drop what we hold and skip to the next newline.
                skipping = true;
                HashConsumed(_end);
                _start = _end = 0;
                _hashed = 0;
            }

            if (_eof)
            {
                if (skipping)
                {
                    LineNumber++;
                    return LineKind.TooLong;
                }

                if (pending.IsEmpty)
                {
                    return LineKind.End;
                }

                _start = _end;
                LineNumber++;
                return Classify(pending, out line);
            }

            Fill();
        }
    }

    private LineKind Classify(ReadOnlySpan<byte> raw, out ReadOnlySpan<byte> line)
    {
        line = raw.EndsWith((byte)'\r') ? raw[..^1] : raw;
        if (line.Length > _maxLineBytes)
        {
            line = default;
            return LineKind.TooLong;
        }

        return line.IndexOfAnyExcept(" \t\r"u8) < 0 ? LineKind.Blank : LineKind.Content;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            HashConsumed(_start);
            _hashed = 0;
            // Keep the partial line, move it to the front.
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        // Once per chunk, not per line: this is what ends a skip through an endless line.
        _cancellation.ThrowIfCancellationRequested();
        int read;
        if (_interruptible)
        {
            _read = _stream.ReadAsync(_buffer, _end, _buffer.Length - _end, CancellationToken.None);
            read = Interruptible.Wait(_read, _cancellation);
        }
        else
        {
            read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        }

        if (read == 0)
        {
            _eof = true;
            return;
        }

        BytesRead += read;
        _end += read;
        if (_atFileStart && _end >= 3)
        {
            _atFileStart = false;
            if (_buffer.AsSpan(0, 3).SequenceEqual("\uFEFF"u8))
            {
                _start = 3;
            }
        }
    }

    /// <summary>Hashes the buffer's consumed bytes not hashed yet, up to <paramref name="end"/>.</summary>
    private void HashConsumed(int end)
    {
        if (_hash is not null && end > _hashed)
        {
            _hash.AppendData(_buffer, _hashed, end - _hashed);
            _hashed = end;
        }
    }

    public void Dispose()
    {
        if (_read is { IsCompleted: false })
        {
            // An abandoned read may still write into the buffer: leave it to the collector, not the pool.
            _buffer = [];
        }

        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
