namespace BatchJob.Tests.Otlp;

/// <summary>One exemplar of a histogram point, ids in lowercase hex (empty when it was measured outside a sampled span).</summary>
public sealed record ReceivedExemplar(string TraceId, string SpanId, double Value);
