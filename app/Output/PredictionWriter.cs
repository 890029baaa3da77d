using System.Buffers;
using System.Text;
using System.Text.Json;
using BatchJob.Input;
using BatchJob.Json;

namespace BatchJob.Output;

/// <summary>
/// Writes predictions in the FREE guide's format, <c>{"id": 1, "prediction": 6.0}</c> per line and a
/// <c>{"summary": ...}</c> line last, to a temporary file beside the target that is renamed onto it
/// only when complete: a reader never sees a torn file at <c>OUTPUT_PATH</c>. Whatever fails, the
/// temporary file does not outlive the writer.
/// </summary>
internal sealed class PredictionWriter : IDisposable
{
    private readonly AtomicFile _file;
    private readonly byte[] _line = new byte[256];
    private ArrayBufferWriter<byte>? _idBuffer;
    private Utf8JsonWriter? _idJson;

    /// <exception cref="OutputException">The temporary file cannot be created.</exception>
    public PredictionWriter(string path)
        : this(new AtomicFile(path))
    {
    }

    /// <summary>Writes through <paramref name="file"/> (RESUME: <see cref="AtomicFile.Resumable"/>; tests: a file on a full device).</summary>
    internal PredictionWriter(AtomicFile file) => _file = file;

    /// <summary>Bytes written so far (RESUME: the length a checkpoint records).</summary>
    public long Length => _file.Length;

    /// <summary>Syncs what was written to disk (RESUME, before a checkpoint).</summary>
    public void Sync() => _file.Sync();

    /// <exception cref="OutputException">The file system refused the write (a full disk).</exception>
    public void Write(RecordId id, double prediction)
    {
        var span = _line.AsSpan();
        var length = 0;
        Append(span, ref length, "{\"id\": "u8);
        if (id.Text is { } text)
        {
            // String ids are rare and of any length: written on their own, after the line so far.
            _file.Write(span[..length]);
            _file.Write(JsonString(text));
            length = 0;
        }
        else
        {
            id.Number.TryFormat(span[length..], out var written, provider: System.Globalization.CultureInfo.InvariantCulture);
            length += written;
        }

        Append(span, ref length, ", \"prediction\": "u8);
        length += JsonNumbers.Format(prediction, span[length..], "prediction");
        Append(span, ref length, "}\n"u8);
        _file.Write(span[..length]);
    }

    /// <summary>Flushes buffered lines to the temporary file (at every BATCH_SIZE records).</summary>
    /// <exception cref="OutputException">The file system refused the write.</exception>
    public void Flush() => _file.Flush();

    /// <summary>Writes the summary line, syncs to disk and moves the file into place.</summary>
    /// <param name="shard">Set when sharded: the summary line then names its shard, so shard files can be combined.</param>
    /// <exception cref="OutputException">The file could not be completed or moved into place.</exception>
    public void Publish(long records, double avgPrediction, bool interrupted, (int Index, int Count)? shard = null)
    {
        var summary = new StringBuilder("{\"summary\": {\"records\": ")
            .Append(records)
            .Append(", \"avg_prediction\": ")
            .Append(Encoding.UTF8.GetString(FormatDouble(avgPrediction, "avg_prediction")));
        if (interrupted)
        {
            summary.Append(", \"interrupted\": true");
        }

        if (shard is { } s)
        {
            summary.Append(", \"shard_index\": ").Append(s.Index).Append(", \"shard_count\": ").Append(s.Count);
        }

        _file.Write(Encoding.UTF8.GetBytes(summary.Append("}}\n").ToString()));
        _file.Publish();
    }

    /// <summary>Closes the file; unless it was published, the temporary file is deleted.</summary>
    public void Dispose()
    {
        _idJson?.Dispose();
        _file.Dispose();
    }

    /// <summary>
    /// The id as a JSON string: Utf8JsonWriter with default options escapes exactly as
    /// <c>JsonSerializer</c> does for a string (it is what the serializer calls), without the
    /// serializer's reflection, which native AOT cannot use. Writer and buffer are reused.
    /// </summary>
    private ReadOnlySpan<byte> JsonString(string text)
    {
        _idBuffer ??= new ArrayBufferWriter<byte>(256);
        _idJson ??= new Utf8JsonWriter(_idBuffer);
        _idBuffer.ResetWrittenCount();
        _idJson.Reset(); // a fresh root value each time, with no separator before it
        _idJson.WriteStringValue(text);
        _idJson.Flush();
        return _idBuffer.WrittenSpan;
    }

    private static byte[] FormatDouble(double value, string field)
    {
        Span<byte> buffer = stackalloc byte[40];
        return buffer[..JsonNumbers.Format(value, buffer, field)].ToArray();
    }

    private static void Append(Span<byte> destination, ref int length, ReadOnlySpan<byte> text)
    {
        text.CopyTo(destination[length..]);
        length += text.Length;
    }
}
