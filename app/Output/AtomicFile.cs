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
            // Flushing the unpublished tail failed (a full disk); the file is being discarded anyway.
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
