using System.Diagnostics;

namespace BatchJob.Tests.Otlp;

/// <summary>One span as the receiver decoded it, ids in lowercase hex (empty parent for a root).</summary>
public sealed record ReceivedSpan(
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string TraceState,
    string Name,
    IReadOnlyDictionary<string, object?> Attributes,
    ActivityStatusCode Status,
    string StatusMessage,
    IReadOnlyList<ReceivedEvent> Events,
    string ScopeName,
    IReadOnlyDictionary<string, object?> Resource)
{
    public IEnumerable<string> EventNames => Events.Select(e => e.Name);

    public override string ToString() =>
        $"{Name} {TraceId}/{SpanId} parent={ParentSpanId} status={Status} '{StatusMessage}' {{{string.Join(", ", Attributes.Select(a => $"{a.Key}={a.Value}"))}}}";
}
