namespace BatchJob.Tests.Otlp;

/// <summary>One metric of one export request, as the receiver decoded it.</summary>
public sealed record ReceivedMetric(
    string Name,
    string Unit,
    MetricKind Kind,
    bool IsMonotonic,
    IReadOnlyList<ReceivedPoint> Points,
    string ScopeName,
    IReadOnlyDictionary<string, object?> Resource)
{
    public override string ToString() =>
        $"{Name} {Kind} [{string.Join(", ", Points.Select(p => p.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? $"count={p.Count}"))}]";
}
