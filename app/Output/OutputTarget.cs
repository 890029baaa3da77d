using System.Security.Cryptography;

namespace BatchJob.Output;

/// <summary>
/// The one place that decides whether predictions can be published at a path. The writer fills a
/// temporary file and renames it onto the path at the end; what would make that fail is found here, at start.
/// </summary>
public static class OutputTarget
{
    /// <summary>Checks the file this process will write and creates its shard folders.</summary>
    /// <param name="path">Full path after <c>{shard}</c> substitution.</param>
    /// <param name="sharedFolder">The folder every shard shares, which must exist; folders below it (named with <c>{shard}</c>) are created.</param>
    /// <returns>Null when usable; otherwise what OUTPUT_PATH should have been, with the reason, for the configuration error.</returns>
    public static string? Prepare(string path, string sharedFolder)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Path.EndsInDirectorySeparator(path))
        {
            return "a file path in a writable folder (it ends with a folder separator)";
        }

        if (Directory.Exists(path))
        {
            return "a file path in a writable folder (it is a folder)";
        }

        if (!Directory.Exists(sharedFolder))
        {
            return $"a file path in a writable folder ('{sharedFolder}' does not exist; only folders named with {{shard}} are created)";
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // A name no other process uses, created new: nothing that exists is opened, truncated or deleted.
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

    /// <summary><c>path.pid.random</c>: a name beside the target that no other process, here or on another node, uses.</summary>
    private static string UniqueName(string path) =>
        $"{path}.{Environment.ProcessId}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
}
