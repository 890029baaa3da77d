namespace BatchJob.Tests.Otlp;

/// <summary>One log record as the receiver decoded it, ids in lowercase hex (empty when outside a span).</summary>
public sealed record ReceivedLog(
    string TraceId,
    string SpanId,
    int SeverityNumber,
    string SeverityText,
    string Body,
    IReadOnlyDictionary<string, object?> Attributes,
    string ScopeName,
    IReadOnlyDictionary<string, object?> Resource)
{
    public override string ToString() =>
        $"{SeverityText} '{Body}' {TraceId}/{SpanId} {{{string.Join(", ", Attributes.Select(a => $"{a.Key}={a.Value}"))}}}";
}
