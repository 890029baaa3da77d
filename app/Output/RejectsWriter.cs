using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace BatchJob.Output;

/// <summary>
/// REJECTS_PATH: every rejected input line as one JSON object,
/// <c>{"line": 3, "error": "invalid_json", "message": "...", "raw": "..."}</c>, so a user can fix
/// and re-run exactly those lines. Written atomically, as the predictions file is. The raw line is
/// kept exactly: as a JSON string when it is UTF-8 (JSON escapes are reversible), otherwise as
/// <c>"raw_base64"</c>; a line over MAX_LINE_BYTES was never held in memory, so it is located
/// instead, by <c>"offset"</c> and <c>"length"</c> in bytes.
/// </summary>
internal sealed class RejectsWriter : IDisposable
{
    private static readonly JsonWriterOptions Options = new()
    {
        // Readable as the log lines are: quotes as \", non-ASCII as itself; control characters are still escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly AtomicFile _file;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _json;

    /// <exception cref="OutputException">The temporary file cannot be created.</exception>
    public RejectsWriter(string path)
        : this(new AtomicFile(path))
    {
    }

    /// <summary>Writes through <paramref name="file"/> (RESUME: <see cref="AtomicFile.Resumable"/>).</summary>
    internal RejectsWriter(AtomicFile file)
    {
        _file = file;
        _json = new Utf8JsonWriter(_buffer, Options);
    }

    /// <summary>Bytes written so far (RESUME: the length a checkpoint records).</summary>
    public long Length => _file.Length;

    /// <summary>Syncs what was written to disk (RESUME, before a checkpoint).</summary>
    public void Sync() => _file.Sync();

    /// <summary>Lines written so far: equals the run's failed records.</summary>
    public long Count { get; private set; }

    /// <param name="raw">The line's bytes, without its line ending.</param>
    /// <exception cref="OutputException">The file system refused the write.</exception>
    public void Write(long line, string error, string message, ReadOnlySpan<byte> raw)
    {
        Start(line, error, message);
        if (Utf8.IsValid(raw))
        {
            _json.WriteString("raw"u8, raw);
        }
        else
        {
            _json.WriteBase64String("raw_base64"u8, raw);
        }

        End();
    }

    /// <summary>A line too long to have been read into memory: where it is instead.</summary>
    public void WriteLocated(long line, string error, string message, long offset, long length)
    {
        Start(line, error, message);
        _json.WriteNumber("offset"u8, offset);
        _json.WriteNumber("length"u8, length);
        End();
    }

    public void Flush() => _file.Flush();

    public void Publish() => _file.Publish();

    public void Dispose()
    {
        _json.Dispose();
        _file.Dispose();
    }

    private void Start(long line, string error, string message)
    {
        _buffer.ResetWrittenCount();
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteNumber("line"u8, line);
        _json.WriteString("error"u8, error);
        _json.WriteString("message"u8, message);
    }

    private void End()
    {
        _json.WriteEndObject();
        _json.Flush();
        _buffer.Write("\n"u8);
        _file.Write(_buffer.WrittenSpan);
        Count++;
    }
}
