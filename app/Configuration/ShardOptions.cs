namespace BatchJob.Configuration;

/// <summary>
/// This worker's share of the input in a Kubernetes Indexed Job: the record lines whose ordinal
/// (counting non-blank lines from 0) modulo <paramref name="Count"/> is <paramref name="Index"/>.
/// Every shard reads the whole file but parses only its own lines, so the split needs no
/// coordination and covers every record exactly once for any count, even with lines of very
/// different lengths.
/// </summary>
/// <param name="Index">JOB_COMPLETION_INDEX, set by Kubernetes (0 when not sharded).</param>
/// <param name="Count">SHARD_COUNT: the Job's completions.</param>
internal sealed record ShardOptions(int Index, int Count)
{
    /// <summary>The placeholder in OUTPUT_PATH replaced by the shard index.</summary>
    public const string Placeholder = "{shard}";

    public static ShardOptions Unsharded { get; } = new(0, 1);

    /// <summary>True when running as one shard of several, or with an explicit index.</summary>
    public bool IsSharded => Count > 1;

    /// <summary>Whether the record line with this ordinal (0-based, blank lines not counted) is ours.</summary>
    public bool Owns(long ordinal) => Count == 1 || ordinal % Count == Index;

    /// <summary>
    /// OUTPUT_PATH for this shard: <c>{shard}</c> replaced by the index, or, when sharded without
    /// the placeholder, <c>-shard-N</c> added before the extension, so shards never share a file.
    /// </summary>
    public string OutputPathFor(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var index = Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (path.Contains(Placeholder, StringComparison.Ordinal))
        {
            return path.Replace(Placeholder, index, StringComparison.Ordinal);
        }

        if (!IsSharded)
        {
            return path;
        }

        var directory = Path.GetDirectoryName(path) ?? string.Empty;
        return Path.Combine(directory, $"{Path.GetFileNameWithoutExtension(path)}-shard-{index}{Path.GetExtension(path)}");
    }

    /// <summary>
    /// The folder of OUTPUT_PATH that all shards share: the deepest one above any <c>{shard}</c>.
    /// It must exist; the folders below it that are named with <c>{shard}</c> are each shard's own.
    /// </summary>
    public static string SharedFolder(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var placeholder = path.IndexOf(Placeholder, StringComparison.Ordinal);
        var fixedPart = placeholder < 0 ? path : path[..placeholder];
        return Path.GetDirectoryName(fixedPart) ?? fixedPart;
    }
}
