namespace BatchJob.Tests.Otlp;

/// <summary>One event of a span as the receiver decoded it.</summary>
public sealed record ReceivedEvent(string Name, IReadOnlyDictionary<string, object?> Attributes)
{
    public override string ToString() => $"{Name} {{{string.Join(", ", Attributes.Select(a => $"{a.Key}={a.Value}"))}}}";
}
