namespace BatchJob.Output;

/// <summary>
/// A file written under a temporary name beside its target and renamed onto it only when complete:
/// a reader never sees a torn file at the target path, and whatever fails, the temporary file does
/// not outlive the writer. Shared by the predictions file and the rejects file.
/// </summary>
internal sealed class AtomicFile : IDisposable
{
    private readonly string _finalPath;
    private readonly string _tempPath;
    private readonly FileStream _file;
    // RESUME: the temporary file is the run's "<path>.partial", kept when the writer stops unpublished, for the next pod.
    private readonly bool _keep;
    private bool _published;

    /// <exception cref="OutputException">The temporary file cannot be created.</exception>
    public AtomicFile(string path)
        : this(path, CreateTempFile(path, out var tempPath), tempPath)
    {
    }

    /// <summary>Writes through <paramref name="file"/>, standing for the temporary file at <paramref name="tempPath"/> (tests: a file on a full device).</summary>
    internal AtomicFile(string path, FileStream file, string tempPath)
    {
        _finalPath = path;
        _file = file;
        _tempPath = tempPath;
    }

    private AtomicFile(string path, FileStream file, string tempPath, bool keep)
        : this(path, file, tempPath) => _keep = keep;

    /// <summary>The temporary file a RESUME run fills: <c>&lt;path&gt;.partial</c>, a name the next pod of the run finds.</summary>
    public static string PartialPath(string path) => path + ".partial";

    /// <summary>
    /// RESUME: continues <see cref="PartialPath"/>, cut to <paramref name="keepBytes"/> (what the
    /// checkpoint accounts for; 0 starts it afresh), held locked as any temporary file is, and kept,
    /// not deleted, when the writer stops without publishing.
    /// </summary>
    /// <exception cref="OutputException">The file cannot be opened or cut.</exception>
    public static AtomicFile Resumable(string path, long keepBytes)
    {
        var partial = PartialPath(path);
        FileStream? file = null;
        try
        {
            file = new FileStream(partial, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None, 64 * 1024);
            file.SetLength(keepBytes);
            file.Seek(keepBytes, SeekOrigin.Begin);
            return new AtomicFile(path, file, partial, keep: true);
        }
        catch (Exception e) when (IsRefusal(e))
        {
            file?.Dispose();
            throw Failed(path, e);
        }
    }

    /// <summary>Bytes written so far, buffered ones included.</summary>
    public long Length => _file.Position;

    /// <summary>Writes buffered bytes and syncs them to disk (RESUME, before a checkpoint counts on them).</summary>
    /// <exception cref="OutputException">The file system refused the write.</exception>
    public void Sync()
    {
        try
        {
            _file.Flush(flushToDisk: true);
        }
        catch (Exception e) when (IsRefusal(e))
        {
            throw Failed(_finalPath, e);
        }
    }

    /// <exception cref="OutputException">The file system refused the write (a full disk).</exception>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        try
        {
            _file.Write(bytes);
        }
        catch (Exception e) when (IsRefusal(e))
        {
            throw Failed(_finalPath, e);
        }
    }

    /// <summary>Flushes buffered bytes to the temporary file.</summary>
    /// <exception cref="OutputException">The file system refused the write.</exception>
    public void Flush()
    {
        try
        {
            _file.Flush();
        }
        catch (Exception e) when (IsRefusal(e))
        {
            throw Failed(_finalPath, e);
        }
    }

    /// <summary>Syncs to disk and moves the file into place.</summary>
    /// <exception cref="OutputException">The file could not be completed or moved into place.</exception>
    public void Publish()
    {
        try
        {
            _file.Flush(flushToDisk: true);
            // Renamed while still open, so locked: once closed under its temp name, another run's
            // cleanup would take it for an abandoned file and could delete it before the rename.
            File.Move(_tempPath, _finalPath, overwrite: true);
            _published = true;
            _file.Dispose();
        }
        catch (Exception e) when (IsRefusal(e))
        {
            throw Failed(_finalPath, e);
        }
    }

    /// <summary>Closes the file and, unless it was published, deletes it. A refusal from the file system
    /// is not thrown: this runs while an error is on its way out, and must neither hide that error
    /// nor leave the file behind.</summary>
    public void Dispose()
    {
        if (_published)
        {
            return;
        }

        try
        {
            _file.Dispose();
        }
        catch (Exception e) when (IsRefusal(e))
        {
            // Flushing the unpublished tail failed (a full disk); the file is being discarded anyway,
            // or, kept for RESUME, is cut back to its checkpointed length by the next pod.
        }

        if (_keep)
        {
            return;
        }

        try
        {
            File.Delete(_tempPath);
        }
        catch (Exception e) when (IsRefusal(e))
        {
            // Left for the next run, which removes abandoned temporary files.
        }
    }

    private static FileStream CreateTempFile(string path, out string tempPath)
    {
        try
        {
            OutputTarget.RemoveAbandonedTempFiles(path);
            return OutputTarget.CreateTempFile(path, 64 * 1024, out tempPath);
        }
        catch (Exception e) when (IsRefusal(e))
        {
            throw Failed(path, e);
        }
    }

    /// <summary>The file system said no. .NET reports a full disk (ENOSPC) as an IOException, but a
    /// file over the size limit (EFBIG: RLIMIT_FSIZE, a file system's maximum) as ArgumentOutOfRangeException.</summary>
    private static bool IsRefusal(Exception e) => e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException;

    private static OutputException Failed(string path, Exception e) => new($"cannot write '{path}': {e.Message}", e);
}
