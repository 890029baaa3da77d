namespace BatchJob.Input;

/// <summary>Why a line was rejected, as a stable name for the rejects file and span events (the message says it for people).</summary>
internal enum RejectKind
{
    /// <summary>The bytes are not UTF-8.</summary>
    InvalidUtf8,

    /// <summary>Not one JSON value (syntax, nesting, trailing content).</summary>
    InvalidJson,

    /// <summary>Valid JSON, but not a record: missing or mistyped id or features, duplicates, non-finite numbers.</summary>
    InvalidRecord,

    /// <summary>Longer than MAX_LINE_BYTES: skipped without being buffered.</summary>
    LineTooLong,

    /// <summary>The features are fine, their sum overflows a double.</summary>
    Overflow,
}
