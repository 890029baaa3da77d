using System.Runtime.InteropServices;
using System.Text.Json;

namespace BatchJob.Output;

/// <summary>
/// <c>&lt;OUTPUT_PATH&gt;.checkpoint</c>: one small JSON object, replaced whole. Written to a
/// temporary name, synced, renamed onto the checkpoint and the folder synced: after a crash at any
/// moment (SIGKILL, power) the file is the previous checkpoint or the new one, never a mix.
/// Doubles are kept as their 64 bits, so the totals come back exactly.
/// </summary>
internal static partial class CheckpointFile
{
    private const int Version = 1;

    public static string PathFor(string outputPath) => outputPath + ".checkpoint";

    /// <exception cref="OutputException">The file system refused the write (a full disk); the previous checkpoint is left as it was.</exception>
    public static void Write(string path, Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var temp = path + ".new";
        try
        {
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096))
            {
                using (var json = new Utf8JsonWriter(file))
                {
                    Write(json, checkpoint);
                }

                file.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
            SyncFolder(Path.GetDirectoryName(path)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            TryDelete(temp);
            throw new OutputException($"cannot write the checkpoint '{path}': {e.Message}", e);
        }
    }

    /// <returns>The checkpoint; null when there is none.</returns>
    /// <exception cref="InvalidDataException">The file is there but is not a checkpoint this version wrote.</exception>
    public static Checkpoint? Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.GetProperty("version").GetInt32() != Version)
            {
                throw new InvalidDataException($"checkpoint version {root.GetProperty("version")} is not {Version}");
            }

            return new Checkpoint(
                root.GetProperty("input").GetString()!,
                root.GetProperty("shard_index").GetInt32(),
                root.GetProperty("shard_count").GetInt32(),
                root.GetProperty("max_line_bytes").GetInt32(),
                root.GetProperty("offset").GetInt64(),
                root.GetProperty("line").GetInt64(),
                root.GetProperty("ordinal").GetInt64(),
                root.GetProperty("prefix_sha256").GetString()!,
                root.GetProperty("predictions_bytes").GetInt64(),
                root.GetProperty("rejects_bytes").GetInt64(),
                new RunTotals(
                    root.GetProperty("successful").GetInt64(),
                    root.GetProperty("failed").GetInt64(),
                    root.GetProperty("blank_lines").GetInt64(),
                    BitConverter.Int64BitsToDouble(root.GetProperty("prediction_sum_bits").GetInt64()),
                    root.GetProperty("prediction_sum_exponent").GetInt32(),
                    BitConverter.Int64BitsToDouble(root.GetProperty("cost_usd_bits").GetInt64())));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"'{path}' is not a readable checkpoint: {e.Message}", e);
        }
    }

    /// <summary>Removes the checkpoint of a finished run (a missing one is fine).</summary>
    public static void Delete(string path)
    {
        try
        {
            File.Delete(path);
            SyncFolder(Path.GetDirectoryName(path)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputException($"cannot remove the checkpoint '{path}': {e.Message}", e);
        }
    }

    private static void Write(Utf8JsonWriter json, Checkpoint c)
    {
        json.WriteStartObject();
        json.WriteNumber("version", Version);
        json.WriteString("input", c.Input);
        json.WriteNumber("shard_index", c.ShardIndex);
        json.WriteNumber("shard_count", c.ShardCount);
        json.WriteNumber("max_line_bytes", c.MaxLineBytes);
        json.WriteNumber("offset", c.Offset);
        json.WriteNumber("line", c.Line);
        json.WriteNumber("ordinal", c.Ordinal);
        json.WriteString("prefix_sha256", c.PrefixSha256);
        json.WriteNumber("predictions_bytes", c.PredictionsBytes);
        json.WriteNumber("rejects_bytes", c.RejectsBytes);
        json.WriteNumber("successful", c.Totals.Successful);
        json.WriteNumber("failed", c.Totals.Failed);
        json.WriteNumber("blank_lines", c.Totals.BlankLines);
        json.WriteNumber("prediction_sum_bits", BitConverter.DoubleToInt64Bits(c.Totals.PredictionSum));
        json.WriteNumber("prediction_sum_exponent", c.Totals.PredictionSumExponent);
        json.WriteNumber("cost_usd_bits", BitConverter.DoubleToInt64Bits(c.Totals.CostUsd));
        json.WriteEndObject();
    }

    /// <summary>fsync on the folder: makes a rename or delete in it durable, which syncing the file does not.</summary>
    private static void SyncFolder(string folder)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var descriptor = Open(folder, 0);
        if (descriptor < 0)
        {
            throw new IOException($"cannot open folder '{folder}' to sync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw new IOException($"cannot sync folder '{folder}' (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Replaced by the next checkpoint's write, which creates the same name.
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
