namespace BatchJob.Tests.Otlp;

/// <summary>
/// One data point: <see cref="Value"/> for a gauge or sum (int points as double); <see cref="Count"/>,
/// <see cref="Sum"/>, <see cref="Min"/>, <see cref="Max"/> and <see cref="Exemplars"/> for a histogram.
/// </summary>
public sealed record ReceivedPoint(double? Value, ulong Count, double? Sum, double? Min, double? Max, IReadOnlyDictionary<string, object?> Attributes, IReadOnlyList<ReceivedExemplar> Exemplars);
