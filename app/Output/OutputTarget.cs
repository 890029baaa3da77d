using System.Security.Cryptography;
using System.Text.RegularExpressions;
using BatchJob.Configuration;

namespace BatchJob.Output;

/// <summary>
/// The one place that decides whether predictions can be published at a path, and names the files
/// the writer keeps beside it. The writer fills a temporary file and renames it onto the path at
/// the end; everything that would make that rename fail or do harm is found here, at start.
/// </summary>
internal static class OutputTarget
{
    /// <summary>The checks reading options runs on the input and output paths.</summary>
    public static PathChecks Checks { get; } = new(Prepare, CheckInputNotWritten);

    /// <summary>The same checks for <c>--check</c>, which writes nothing: no folder is created and no probe file opened.</summary>
    public static PathChecks ReadOnlyChecks { get; } = new((path, shared, input) => Prepare(path, shared, input, write: false), CheckInputNotWritten);

    /// <summary>Checks the file this process will write and creates its shard folders.</summary>
    /// <param name="path">Full path after <c>{shard}</c> substitution.</param>
    /// <param name="sharedFolder">The folder every shard shares, which must exist; folders below it (named with <c>{shard}</c>) are created.</param>
    /// <param name="inputPath">The input, which must never be replaced.</param>
    /// <returns>Null when usable; otherwise what OUTPUT_PATH should have been, with the reason, for the configuration error.</returns>
    public static string? Prepare(string path, string sharedFolder, string inputPath) => Prepare(path, sharedFolder, inputPath, write: true);

    /// <param name="write">False for <c>--check</c>: the nearest existing folder is asked whether it could be written (access(2)), and nothing is created.</param>
    private static string? Prepare(string path, string sharedFolder, string inputPath, bool write)
    {
        ArgumentNullException.ThrowIfNull(path);
        const string Replaceable = "a new or regular file that the worker can replace when it publishes";
        if (Path.EndsInDirectorySeparator(path))
        {
            return "a file path in a writable folder (it ends with a folder separator)";
        }

        // Every name of one file (relative, absolute, "..", a symbolic or hard link) has the same
        // device and inode; where statx is missing (not Linux) only the same spelling is caught.
        if (path == inputPath || (FileStatus.Of(path, followLinks: true) is { } target && FileStatus.Of(inputPath, followLinks: true) is { } input && target.IsSameFile(input)))
        {
            return "a file other than the input (it is the same file as INPUT_PATH, which publishing would replace)";
        }

        // The name itself, not what it links to: the rename replaces the name.
        switch (FileStatus.Of(path, followLinks: false))
        {
            case { IsFolder: true }:
                return "a file path in a writable folder (it is a folder)";
            case { IsRegularFile: false } other:
                var extra = other.IsSymbolicLink ? ": publishing would replace the link, not the file it points to; name that file instead" : string.Empty;
                return $"{Replaceable} (it is {other.Kind}{extra})";
            case { IsMountRoot: true }:
                return $"{Replaceable} (it is a mount point, which a rename cannot replace; mount its folder instead)";
        }

        if (!Directory.Exists(sharedFolder))
        {
            return $"a file path in a writable folder ('{sharedFolder}' does not exist; only folders named with {{shard}} are created)";
        }

        if (!write)
        {
            var folder = Path.GetDirectoryName(path)!;
            var existing = Directory.Exists(folder) ? folder : sharedFolder;
            return FreeSpace.IsWritableFolder(existing) ? null : $"a file path in a writable folder ('{existing}' cannot be written by this user)";
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // A name no other process uses, created new: nothing that exists is opened, truncated or deleted.
            // It is the longest name the writer uses here, so the writer's names fit too.
            using (new FileStream(UniqueName(path) + ".probe", FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"a file path in a writable folder ({e.Message})";
        }

        return null;
    }

    /// <summary>
    /// Checks that the input is none of the files the process writes by descriptor: stdout (its log
    /// lines) and stderr. Read back, each line it writes would become one more input line, without
    /// end (<c>--input f &gt;&gt; f</c> filled a disk). OUTPUT_PATH is checked in <see cref="Prepare"/>,
    /// and the writer's temporary files are new names. A character device (<c>/dev/null</c>, a
    /// terminal) does not hand back what is written to it, so it may be both.
    /// </summary>
    /// <returns>Null when the input is none of them; otherwise what INPUT_PATH should have been, with the reason.</returns>
    public static string? CheckInputNotWritten(string inputPath)
    {
        if (FileStatus.Of(inputPath, followLinks: true) is not { IsCharacterDevice: false } input)
        {
            return null;
        }

        foreach (var (descriptor, name) in (ReadOnlySpan<(int, string)>)[(1, "stdout"), (2, "stderr")])
        {
            if (FileStatus.OfDescriptor(descriptor) is { } written && written.IsSameFile(input))
            {
                return $"a file the worker does not write (it is the same file as the worker's {name}, whose lines it would read back as input without end)";
            }
        }

        return null;
    }

    /// <summary>
    /// Creates the temporary file beside <paramref name="path"/>, held with an exclusive lock for as
    /// long as it is open; <see cref="RemoveAbandonedTempFiles"/> tells a live run's file by that lock.
    /// </summary>
    internal static FileStream CreateTempFile(string path, int bufferSize, out string tempPath)
    {
        var unique = UniqueName(path);
        // Created under a name the cleanup ignores and renamed once locked: the cleanup never
        // locks, and so never blocks, a file whose writer is still opening it.
        var file = new FileStream(unique + ".new", FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize);
        tempPath = unique + ".tmp";
        try
        {
            File.Move(unique + ".new", tempPath);
            return file;
        }
        catch
        {
            file.Dispose();
            File.Delete(unique + ".new");
            throw;
        }
    }

    /// <summary>
    /// Deletes the temporary files of runs that were killed before they could (SIGKILL, OOM kill):
    /// on a small volume they would fill it and make every retry fail. A file is abandoned when no
    /// process holds its lock: a writer holds it while it runs, and the kernel drops it when the
    /// writer dies. Process ids cannot tell that: pods on a shared volume have their own.
    /// </summary>
    internal static void RemoveAbandonedTempFiles(string path)
    {
        // With .NET's file locking switched off no writer holds a lock, so none could be told from an abandoned file.
        if ((AppContext.TryGetSwitch("System.IO.DisableFileLocking", out var disabled) && disabled)
            || Environment.GetEnvironmentVariable("DOTNET_SYSTEM_IO_DISABLEFILELOCKING") is "1" or "true")
        {
            return;
        }

        var name = Path.GetFileName(path);
        // <name>.<pid>.<16 hex>.tmp, and <name>.<pid>.tmp as versions before this one named them.
        var ours = new Regex($@"^{Regex.Escape(name)}\.[0-9]+(\.[0-9a-f]{{16}})?\.tmp$");
        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(path)!, name + ".*.tmp"))
        {
            if (!ours.IsMatch(Path.GetFileName(file)))
            {
                continue;
            }

            try
            {
                using var unlocked = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.None);
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Locked by a live run, gone already, or not ours to delete: leave it.
            }
        }
    }

    /// <summary><c>path.pid.random</c>: a name beside the target that no other process, here or on another node, uses.</summary>
    private static string UniqueName(string path) =>
        $"{path}.{Environment.ProcessId}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
}
