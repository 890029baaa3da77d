using System.Diagnostics;
using BatchJob.Input;

namespace BatchJob.Logging;

/// <summary>
/// The fields of one "Record processed" line, passed by reference straight to the layout: the
/// per-record line is written without a Serilog LogEvent, its dictionary and boxed values.
/// </summary>
internal readonly record struct RecordLine(
    DateTime Timestamp,
    RecordId Id,
    double Prediction,
    double LatencyMs,
    double? CostUsd,
    ActivityTraceId TraceId,
    ActivitySpanId SpanId,
    bool HasSpan);
