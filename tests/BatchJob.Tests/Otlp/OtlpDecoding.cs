using System.Diagnostics;
using BatchJob.Tests.Otlp.Proto.Collector.Logs;
using BatchJob.Tests.Otlp.Proto.Collector.Metrics;
using BatchJob.Tests.Otlp.Proto.Collector.Trace;
using BatchJob.Tests.Otlp.Proto.Common;
using BatchJob.Tests.Otlp.Proto.Metrics;
using Google.Protobuf;
using Google.Protobuf.Collections;

namespace BatchJob.Tests.Otlp;

/// <summary>Turns OTLP protobuf messages into the flat records tests assert on.</summary>
internal static class OtlpDecoding
{
    public static IEnumerable<ReceivedSpan> Spans(ExportTraceServiceRequest request)
    {
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var resource = Attributes(resourceSpans.Resource?.Attributes);
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                foreach (var span in scopeSpans.Spans)
                {
                    yield return new ReceivedSpan(
                        Hex(span.TraceId),
                        Hex(span.SpanId),
                        Hex(span.ParentSpanId),
                        span.TraceState,
                        span.Name,
                        Attributes(span.Attributes),
                        (ActivityStatusCode)(int)(span.Status?.Code ?? 0),
                        span.Status?.Message ?? string.Empty,
                        span.Events.Select(e => new ReceivedEvent(e.Name, Attributes(e.Attributes))).ToList(),
                        scopeSpans.Scope?.Name ?? string.Empty,
                        resource);
                }
            }
        }
    }

    public static IEnumerable<ReceivedLog> Logs(ExportLogsServiceRequest request)
    {
        foreach (var resourceLogs in request.ResourceLogs)
        {
            var resource = Attributes(resourceLogs.Resource?.Attributes);
            foreach (var scopeLogs in resourceLogs.ScopeLogs)
            {
                foreach (var log in scopeLogs.LogRecords)
                {
                    yield return new ReceivedLog(
                        Hex(log.TraceId),
                        Hex(log.SpanId),
                        log.SeverityNumber,
                        log.SeverityText,
                        Value(log.Body)?.ToString() ?? string.Empty,
                        Attributes(log.Attributes),
                        scopeLogs.Scope?.Name ?? string.Empty,
                        resource);
                }
            }
        }
    }

    public static IEnumerable<ReceivedMetric> Metrics(ExportMetricsServiceRequest request)
    {
        foreach (var resourceMetrics in request.ResourceMetrics)
        {
            var resource = Attributes(resourceMetrics.Resource?.Attributes);
            foreach (var scopeMetrics in resourceMetrics.ScopeMetrics)
            {
                foreach (var metric in scopeMetrics.Metrics)
                {
                    var (kind, monotonic, points) = metric.DataCase switch
                    {
                        Metric.DataOneofCase.Gauge => (MetricKind.Gauge, false, metric.Gauge.DataPoints.Select(Number).ToList()),
                        Metric.DataOneofCase.Sum => (MetricKind.Sum, metric.Sum.IsMonotonic, metric.Sum.DataPoints.Select(Number).ToList()),
                        Metric.DataOneofCase.Histogram => (MetricKind.Histogram, false, metric.Histogram.DataPoints.Select(Histogram).ToList()),
                        _ => (MetricKind.Unknown, false, new List<ReceivedPoint>()),
                    };
                    yield return new ReceivedMetric(metric.Name, metric.Unit, kind, monotonic, points, scopeMetrics.Scope?.Name ?? string.Empty, resource);
                }
            }
        }
    }

    private static ReceivedPoint Number(NumberDataPoint point) => new(
        point.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? point.AsInt : point.AsDouble,
        0,
        null,
        null,
        null,
        Attributes(point.Attributes),
        []);

    private static ReceivedPoint Histogram(HistogramDataPoint point) => new(
        null,
        point.Count,
        point.HasSum ? point.Sum : null,
        point.HasMin ? point.Min : null,
        point.HasMax ? point.Max : null,
        Attributes(point.Attributes),
        point.Exemplars.Select(ToExemplar).ToList());

    private static ReceivedExemplar ToExemplar(Exemplar exemplar) => new(
        Hex(exemplar.TraceId),
        Hex(exemplar.SpanId),
        exemplar.ValueCase == Exemplar.ValueOneofCase.AsInt ? exemplar.AsInt : exemplar.AsDouble);

    private static Dictionary<string, object?> Attributes(RepeatedField<KeyValue>? attributes) =>
        attributes?.ToDictionary(a => a.Key, a => Value(a.Value), StringComparer.Ordinal) ?? [];

    private static object? Value(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue,
        AnyValue.ValueOneofCase.IntValue => value.IntValue,
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue,
        AnyValue.ValueOneofCase.ArrayValue => value.ArrayValue.Values.Select(Value).ToArray(),
        AnyValue.ValueOneofCase.KvlistValue => Attributes(value.KvlistValue.Values),
        AnyValue.ValueOneofCase.BytesValue => value.BytesValue.ToByteArray(),
        _ => null,
    };

    private static string Hex(ByteString bytes) => Convert.ToHexStringLower(bytes.Span);
}
