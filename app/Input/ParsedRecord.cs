namespace BatchJob.Input;

/// <summary>A valid record: its id and its features, viewed in the parser's reused buffer (valid until the next parse).</summary>
internal readonly ref struct ParsedRecord(RecordId id, ReadOnlySpan<double> features)
{
    public RecordId Id { get; } = id;

    public ReadOnlySpan<double> Features { get; } = features;
}
