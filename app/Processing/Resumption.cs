using System.Buffers;
using System.Security.Cryptography;
using BatchJob.Configuration;
using BatchJob.Logging;
using BatchJob.Output;

namespace BatchJob.Processing;

/// <summary>
/// RESUME: finds the run's checkpoint beside OUTPUT_PATH and decides whether this pod may continue
/// from it. It may only when everything the checkpoint counts on is still true: the same input
/// path, shard and line limit, partial files at least as long as recorded, and the same bytes in
/// the input up to the offset (their SHA-256 is computed again: a file edited in what was already
/// processed, even with its size and modification time put back, is caught). Otherwise the run
/// starts over from the first line, with one WARN saying why: never a wrong resume.
/// </summary>
internal sealed class Resumption(BatchOptions options, BatchLog log) : IDisposable
{
    private const int HashChunk = 1024 * 1024;

    private readonly string _path = CheckpointFile.PathFor(options.OutputPath!);

    /// <summary>The consumed input's hash: after <see cref="Start"/> it holds the bytes before the input's position; the reader goes on from there.</summary>
    public IncrementalHash Hash { get; } = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>The checkpoint to continue from, with <paramref name="input"/> positioned at its offset; null to start from the first line (input at 0).</summary>
    public Checkpoint? Start(FileStream input)
    {
        Checkpoint? checkpoint;
        string? problem;
        try
        {
            checkpoint = CheckpointFile.Read(_path);
            problem = checkpoint is null ? null : Mismatch(checkpoint, input);
        }
        catch (InvalidDataException e)
        {
            (checkpoint, problem) = (null, e.Message);
        }

        if (checkpoint is not null && problem is null)
        {
            log.Resuming(_path, checkpoint.Line, checkpoint.Offset);
            return checkpoint;
        }

        if (problem is not null)
        {
            log.CheckpointNotUsed(_path, problem);
        }

        Hash.GetHashAndReset();
        input.Seek(0, SeekOrigin.Begin);
        return null;
    }

    /// <exception cref="OutputException">The checkpoint could not be written; the previous one stands.</exception>
    public void Save(Checkpoint checkpoint) => CheckpointFile.Write(_path, checkpoint);

    /// <summary>The run is complete (its files published): no checkpoint is left behind.</summary>
    public void Finish() => CheckpointFile.Delete(_path);

    public void Dispose() => Hash.Dispose();

    private string? Mismatch(Checkpoint c, FileStream input)
    {
        if (c.Input != options.InputPath)
        {
            return $"it is for the input '{c.Input}', not '{options.InputPath}'";
        }

        if (c.ShardIndex != options.Shard.Index || c.ShardCount != options.Shard.Count || c.MaxLineBytes != options.MaxLineBytes)
        {
            return $"it is for shard {c.ShardIndex} of {c.ShardCount} with MAX_LINE_BYTES={c.MaxLineBytes}";
        }

        if (input.Length < c.Offset)
        {
            return $"the input is {input.Length} bytes, shorter than the {c.Offset} already processed";
        }

        if (PartialShorter(options.OutputPath!, c.PredictionsBytes) is { } predictions)
        {
            return predictions;
        }

        if ((options.RejectsPath is null) != (c.RejectsBytes < 0))
        {
            return "REJECTS_PATH was set or unset since";
        }

        if (options.RejectsPath is { } rejects && PartialShorter(rejects, c.RejectsBytes) is { } rejected)
        {
            return rejected;
        }

        return SamePrefix(input, c) ? null : $"the input's first {c.Offset} bytes are not the ones processed (their SHA-256 differs)";
    }

    private static string? PartialShorter(string path, long length)
    {
        var partial = new FileInfo(AtomicFile.PartialPath(path));
        return partial.Exists && partial.Length >= length ? null : $"'{partial.FullName}' is missing or shorter than the {length} bytes checkpointed";
    }

    /// <summary>Hashes the input up to the checkpoint's offset, leaving it positioned there.</summary>
    private bool SamePrefix(FileStream input, Checkpoint c)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(HashChunk);
        try
        {
            input.Seek(0, SeekOrigin.Begin);
            for (var left = c.Offset; left > 0;)
            {
                var read = input.Read(buffer, 0, (int)Math.Min(left, buffer.Length));
                if (read == 0)
                {
                    return false;
                }

                Hash.AppendData(buffer, 0, read);
                left -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return Convert.ToHexStringLower(Hash.GetCurrentHash()) == c.PrefixSha256;
    }
}
