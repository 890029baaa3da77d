using System.Diagnostics;
using BatchJob.Input;
using BatchJob.Output;
using BatchJob.Processing;
using BatchJob.Telemetry;
using Serilog;
using Serilog.Events;

namespace BatchJob.Logging;

/// <summary>
/// Every line the worker logs, one method each, with the contract's messages and field names.
/// Serilog stamps each line with the trace and span id of the span current when it is written.
/// </summary>
/// <param name="recordSink">Where "Record processed" lines go straight from their fields (the hot
/// path: ~1 us and a dozen allocations less per record than a Serilog event).</param>
/// <param name="otlp">When logs are exported: the record line's LogRecord goes straight to it too.</param>
internal sealed class BatchLog(ILogger logger, JsonLinesSink recordSink, OtlpLogBridge? otlp = null)
{
    public void TelemetryInitializing(string service, Uri endpoint, string protocol, bool traces, bool metrics, bool logs) =>
        Write(LogEventLevel.Information, "Initializing OpenTelemetry",
            ("service", service), ("endpoint", SecretMask.Url(endpoint.OriginalString)), ("protocol", protocol), ("traces", traces), ("metrics", metrics), ("logs", logs));

    public void TelemetryDisabled() =>
        Write(LogEventLevel.Information, "Telemetry disabled", ("reason", "ENABLE_TELEMETRY=false"));

    /// <param name="inputBytes">The input's size; null when it cannot be known in advance (a pipe, a FIFO).</param>
    public void JobStarting(string appEnv, string inputPath, long? inputBytes, string? outputPath, double cpuCores, double memoryMiB, bool costTracking) =>
        Write(LogEventLevel.Information, "Starting batch inference job",
            ("app_env", appEnv), ("input", inputPath), ("input_bytes", inputBytes), ("output", outputPath),
            ("cpu_limit_cores", cpuCores), ("memory_limit_mb", memoryMiB), ("cost_tracking", costTracking));

    /// <summary>The hot path: one line per record, and its LogRecord, without a Serilog event.</summary>
    public void RecordProcessed(RecordId id, double prediction, double latencyMs, double? costUsd)
    {
        if (!logger.IsEnabled(LogEventLevel.Information))
        {
            return;
        }

        var span = Activity.Current;
        var line = new RecordLine(DateTime.UtcNow, id, prediction, latencyMs, costUsd, span?.TraceId ?? default, span?.SpanId ?? default, span is not null);
        recordSink.EmitRecordProcessed(line);
        otlp?.EmitRecordProcessed(line);
    }

    /// <summary>Progress with rate and, when the input size is known, the ETA (eta_s is null otherwise).</summary>
    public void BatchProgress(Progress progress) =>
        Write(LogEventLevel.Information, "Batch progress",
            ("records", progress.Records), ("rate_per_s", progress.RatePerSecond), ("elapsed_s", progress.ElapsedSeconds), ("eta_s", progress.EtaSeconds));

    public void RecordFailed(long line, string error, RecordId? id)
    {
        if (id is { } known)
        {
            Write(LogEventLevel.Error, "Record failed", ("line", line), ("id", known.ToAttribute()), ("error", error));
        }
        else
        {
            Write(LogEventLevel.Error, "Record failed", ("line", line), ("error", error));
        }
    }

    /// <summary>The summary; <see cref="BatchRunner"/> writes it while the <c>batch_complete</c> span it was computed in is current.</summary>
    public void BatchCompleted(BatchSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        Write(LogEventLevel.Information, "Batch job completed",
            ("summary", new StructureValue(summary.Fields().Select(f => new LogEventProperty(f.Name, new ScalarValue(f.Value))))));
    }

    public void CostTargetExceeded(double costPerRecord, double target) =>
        Write(LogEventLevel.Warning, "Cost per record above target",
            ("cost_per_record_usd", costPerRecord), ("target_usd", target), ("ratio", target > 0 ? costPerRecord / target : null));

    public void TooManyFailures(long failed, long total, double ratio, double maxRatio) =>
        Write(LogEventLevel.Error, "Too many failed records",
            ("failed", failed), ("total_records", total), ("failed_ratio", ratio), ("max_failed_ratio", maxRatio));

    public void Interrupted(long recordsDone) =>
        Write(LogEventLevel.Warning, "Batch job interrupted", ("records_done", recordsDone));

    public void TelemetryNotDelivered(Uri endpoint, TelemetryDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        List<(string, object?)> fields =
        [
            ("endpoint", SecretMask.Url(endpoint.OriginalString)),
            ("spans_lost", delivery.Spans.Lost),
            ("spans_total", delivery.Spans.Ended),
            ("spans_dropped", delivery.SpansDropped),
        ];
        if (delivery.Logs is { } logs)
        {
            fields.AddRange([("logs_lost", logs.Lost), ("logs_total", logs.Ended), ("logs_dropped", delivery.LogsDropped)]);
        }

        fields.AddRange(
        [
            ("metrics_delivered", delivery.MetricsDelivered),
            ("flushed_in_time", delivery.FlushedInTime),
            ("hint", "is the OpenTelemetry Collector running and reachable at this endpoint? The batch itself is unaffected."),
        ]);
        Write(LogEventLevel.Warning, "Telemetry not fully delivered", [.. fields]);
    }

    public void ConfigurationInvalid(IReadOnlyList<string> errors) =>
        Write(LogEventLevel.Error, "Invalid configuration", ("errors", new SequenceValue(errors.Select(e => new ScalarValue(e)))));

    public void InputUnreadable(string path, string error) =>
        Write(LogEventLevel.Error, "Input not readable", ("input", path), ("error", error));

    public void OutputUnwritable(string? path, string error) =>
        Write(LogEventLevel.Error, "Output not writable", ("output", path), ("error", error));

    /// <summary>The log lines could not be written (stdout on a full device, say): said once, on stderr.</summary>
    public void LogOutputFailed(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Write(LogEventLevel.Error, "Log output not writable", ("error", error.Message));
    }

    public void Crashed(Exception exception) =>
        Write(LogEventLevel.Error, "Batch job crashed", ("error", exception.GetType().Name + ": " + exception.Message), ("exception", exception.ToString()));

    private void Write(LogEventLevel level, string message, params (string Name, object? Value)[] fields)
    {
        if (!logger.IsEnabled(level))
        {
            return;
        }

        var properties = fields.Select(f => new LogEventProperty(f.Name, f.Value as LogEventPropertyValue ?? new ScalarValue(f.Value)));
        logger.ForContext(new FieldsEnricher(properties)).Write(level, message);
    }
}
