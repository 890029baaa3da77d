namespace BatchJob.Logging;

/// <summary>The JSON shapes a log field takes.</summary>
internal enum LogFieldKind
{
    Null,
    Bool,
    Long,
    Double,
    String,

    /// <summary>Nested fields, written as a JSON object (the summary).</summary>
    Object,

    /// <summary>A list of strings, written as a JSON array.</summary>
    Strings,
}
