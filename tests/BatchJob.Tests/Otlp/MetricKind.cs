namespace BatchJob.Tests.Otlp;

/// <summary>The OTLP metric data types the receiver decodes.</summary>
public enum MetricKind
{
    Unknown,
    Gauge,
    Sum,
    Histogram,
}
