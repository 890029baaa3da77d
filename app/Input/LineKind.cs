namespace BatchJob.Input;

/// <summary>What <see cref="JsonLinesReader.Read"/> found.</summary>
internal enum LineKind
{
    /// <summary>A line with content, ready to parse.</summary>
    Content,

    /// <summary>Empty or whitespace only: skipped, not a record.</summary>
    Blank,

    /// <summary>Longer than the limit: skipped without being buffered whole, a failed record.</summary>
    TooLong,

    /// <summary>No more input.</summary>
    End,
}
