using System.Diagnostics;
using System.Runtime.InteropServices;
using BatchJob.Configuration;
using BatchJob.Input;
using BatchJob.Output;
using BatchJob.Telemetry;
using Microsoft.Extensions.Logging;

namespace BatchJob.Logging;

/// <summary>
/// Every line the worker logs, one method each, with the contract's messages and field names. A
/// line is built once, as a <see cref="LogLine"/> stamped with the time and the current span's ids,
/// and handed to every output: stdout, and the OTLP log exporter when logs are exported.
/// </summary>
/// <param name="baggage">The run's W3C baggage: every line carries its entries, after its own fields.</param>
internal sealed class BatchLog(IEnumerable<ILogOutput> outputs, TimeProvider time, W3CBaggage baggage)
{
    private readonly ILogOutput[] _outputs = [.. outputs];
    // One line, reused: building a record's line allocates nothing.
    private readonly LogLine _line = new();
    private readonly Lock _lock = new();

    public void TelemetryInitializing(string service, Uri endpoint, string protocol, bool traces, bool metrics, bool logs) =>
        Write(LogLevel.Information, "Initializing OpenTelemetry",
            LogField.Of("service", service), LogField.Of("endpoint", SecretMask.Url(endpoint.OriginalString)), LogField.Of("protocol", protocol),
            LogField.Of("traces", traces), LogField.Of("metrics", metrics), LogField.Of("logs", logs));

    public void TelemetryDisabled() =>
        Write(LogLevel.Information, "Telemetry disabled", LogField.Of("reason", "ENABLE_TELEMETRY=false"));

    /// <param name="inputBytes">The input's size; null when it cannot be known in advance (a pipe, a FIFO).</param>
    public void JobStarting(string appEnv, string inputPath, long? inputBytes, string? outputPath, double cpuCores, double memoryMiB, bool costTracking) =>
        Write(LogLevel.Information, "Starting batch inference job",
            LogField.Of("app_env", appEnv), LogField.Of("input", inputPath), LogField.Of("input_bytes", inputBytes), LogField.Of("output", outputPath),
            LogField.Of("cpu_limit_cores", cpuCores), LogField.Of("memory_limit_mb", memoryMiB), LogField.Of("cost_tracking", costTracking));

    /// <summary>The hot path: one line per record. <paramref name="costUsd"/> null (cost tracking off) leaves the field out.</summary>
    public void RecordProcessed(RecordId id, double prediction, double latencyMs, double? costUsd)
    {
        if (costUsd is { } cost)
        {
            Write(LogLevel.Information, "Record processed",
                LogField.Of("id", id), LogField.Of("prediction", prediction), LogField.Of("latency_ms", latencyMs), LogField.Of("cost_usd", cost));
        }
        else
        {
            Write(LogLevel.Information, "Record processed",
                LogField.Of("id", id), LogField.Of("prediction", prediction), LogField.Of("latency_ms", latencyMs));
        }
    }

    /// <summary>Progress with rate and, when the input size is known, the ETA and the cost forecast (absent otherwise, not zero).</summary>
    public void BatchProgress(Progress progress)
    {
        var head = (LogField.Of("records", progress.Records), LogField.Of("rate_per_s", progress.RatePerSecond), LogField.Of("elapsed_s", progress.ElapsedSeconds));
        if (progress is { EtaSeconds: { } eta, ForecastCostUsd: { } forecast })
        {
            Write(LogLevel.Information, "Batch progress", head.Item1, head.Item2, head.Item3, LogField.Of("eta_s", eta), LogField.Of("forecast_cost_usd", forecast));
        }
        else if (progress.EtaSeconds is { } etaOnly)
        {
            Write(LogLevel.Information, "Batch progress", head.Item1, head.Item2, head.Item3, LogField.Of("eta_s", etaOnly));
        }
        else
        {
            Write(LogLevel.Information, "Batch progress", head.Item1, head.Item2, head.Item3);
        }
    }

    /// <summary>The first time the cost forecast passes COST_BUDGET_USD: said once, before the stop.</summary>
    public void ForecastOverBudget(double forecastUsd, double budgetUsd) =>
        Write(LogLevel.Warning, "Cost forecast over budget", LogField.Of("forecast_cost_usd", forecastUsd), LogField.Of("budget_usd", budgetUsd));

    /// <summary>The run stopped at COST_BUDGET_USD; the summary before it has the numbers.</summary>
    public void BudgetExceeded(double spentUsd, double budgetUsd, long? linesUnread) =>
        Write(LogLevel.Error, "Cost budget exceeded",
            LogField.Of("total_cost_usd", spentUsd), LogField.Of("budget_usd", budgetUsd), LogField.Of("lines_unread", linesUnread),
            LogField.Of("hint", "the run stopped before the record that would have passed COST_BUDGET_USD; raise the budget or split the input"));

    /// <summary>BAGGAGE was set but cannot be used; the run goes on without it.</summary>
    public void BaggageIgnored(string reason) =>
        Write(LogLevel.Warning, "Baggage ignored", LogField.Of("reason", reason), LogField.Of("hint", "BAGGAGE must be W3C baggage, e.g. cost_center=ml-platform,team=lab"));

    public void RecordFailed(long line, string error, RecordId? id)
    {
        if (id is { } known)
        {
            Write(LogLevel.Error, "Record failed", LogField.Of("line", line), LogField.Of("id", known), LogField.Of("error", error));
        }
        else
        {
            Write(LogLevel.Error, "Record failed", LogField.Of("line", line), LogField.Of("error", error));
        }
    }

    /// <summary>The summary; <see cref="Processing.BatchRunner"/> writes it while the <c>batch_complete</c> span it was computed in is current.</summary>
    public void BatchCompleted(BatchSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        Write(LogLevel.Information, "Batch job completed", LogField.Object("summary", [.. summary.Fields().Select(f => LogField.Of(f.Name, f.Value))]));
    }

    public void CostTargetExceeded(double costPerRecord, double target) =>
        Write(LogLevel.Warning, "Cost per record above target",
            LogField.Of("cost_per_record_usd", costPerRecord), LogField.Of("target_usd", target), LogField.Of("ratio", target > 0 ? costPerRecord / target : null));

    public void TooManyFailures(long failed, long total, double ratio, double maxRatio) =>
        Write(LogLevel.Error, "Too many failed records",
            LogField.Of("failed", failed), LogField.Of("total_records", total), LogField.Of("failed_ratio", ratio), LogField.Of("max_failed_ratio", maxRatio));

    public void Interrupted(long recordsDone) =>
        Write(LogLevel.Warning, "Batch job interrupted", LogField.Of("records_done", recordsDone));

    public void TelemetryNotDelivered(Uri endpoint, TelemetryDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        List<LogField> fields =
        [
            LogField.Of("endpoint", SecretMask.Url(endpoint.OriginalString)),
            LogField.Of("spans_lost", delivery.Spans.Lost),
            LogField.Of("spans_total", delivery.Spans.Ended),
            LogField.Of("spans_dropped", delivery.SpansDropped),
        ];
        if (delivery.Logs is { } logs)
        {
            fields.AddRange([LogField.Of("logs_lost", logs.Lost), LogField.Of("logs_total", logs.Ended), LogField.Of("logs_dropped", delivery.LogsDropped)]);
        }

        fields.AddRange(
        [
            LogField.Of("metrics_delivered", delivery.MetricsDelivered),
            LogField.Of("flushed_in_time", delivery.FlushedInTime),
            LogField.Of("collector_reachable", delivery.CollectorReachable),
            LogField.Of("hint", delivery.CollectorReachable == false
                ? "no collector was reachable: nothing accepted a connection at this endpoint, so the run did not wait for one. Start an OpenTelemetry Collector there, or set ENABLE_TELEMETRY=false. The batch itself is unaffected."
                : "is the OpenTelemetry Collector running and reachable at this endpoint? The batch itself is unaffected."),
        ]);
        Write(LogLevel.Warning, "Telemetry not fully delivered", CollectionsMarshal.AsSpan(fields));
    }

    /// <summary>
    /// <c>--check</c>'s verdict, one line: the bad lines by number with their kind, as a JSON object
    /// (<c>"bad_lines": {"3": "invalid_json"}</c>), the first <paramref name="badLines"/> only; ERROR when
    /// a run would exit 3, WARN when some lines would be rejected, INFO when none would.
    /// </summary>
    public void InputChecked(string inputPath, long? inputBytes, long records, long failed, double failedRatio, double maxFailedRatio, IReadOnlyList<(long Line, RejectKind Kind)> badLines)
    {
        ArgumentNullException.ThrowIfNull(badLines);
        var level = failedRatio > maxFailedRatio ? LogLevel.Error : failed > 0 ? LogLevel.Warning : LogLevel.Information;
        LogField[] bad = [.. badLines.Select(b => LogField.Of(b.Line.ToString(System.Globalization.CultureInfo.InvariantCulture), b.Kind.Name()))];
        Write(level, "Input checked",
            LogField.Of("input", inputPath), LogField.Of("input_bytes", inputBytes), LogField.Of("records", records), LogField.Of("failed", failed),
            LogField.Of("failed_ratio", failedRatio), LogField.Of("max_failed_ratio", maxFailedRatio), LogField.Object("bad_lines", bad),
            LogField.Of("bad_lines_not_listed", failed - badLines.Count));
    }

    /// <summary>RESUME: this pod continues the run after the line its checkpoint names.</summary>
    public void Resuming(string checkpoint, long line, long offset) =>
        Write(LogLevel.Information, "Resuming batch", LogField.Of("checkpoint", checkpoint), LogField.Of("resumed_from_line", line), LogField.Of("offset", offset));

    /// <summary>RESUME: a checkpoint was found but cannot be trusted; the run starts over.</summary>
    public void CheckpointNotUsed(string checkpoint, string reason) =>
        Write(LogLevel.Warning, "Checkpoint not used", LogField.Of("checkpoint", checkpoint), LogField.Of("reason", reason),
            LogField.Of("hint", "starting over from the first line; the results will be those of the input as it is now"));

    public void ConfigurationInvalid(IReadOnlyList<string> errors) =>
        Write(LogLevel.Error, "Invalid configuration", LogField.List("errors", errors));

    public void InputUnreadable(string path, string error) =>
        Write(LogLevel.Error, "Input not readable", LogField.Of("input", path), LogField.Of("error", error));

    public void OutputUnwritable(string? path, string error) =>
        Write(LogLevel.Error, "Output not writable", LogField.Of("output", path), LogField.Of("error", error));

    /// <summary>The log lines could not be written (stdout on a full device, say): said once, on stderr.</summary>
    public void LogOutputFailed(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Write(LogLevel.Error, "Log output not writable", LogField.Of("error", error.Message));
    }

    /// <summary>
    /// The unexpected error, by type and message only: a stack trace on stdout is noise to a student
    /// and a leak to anyone else. An SRE finds it on the batch span's <c>exception</c> event when the
    /// batch was running.
    /// </summary>
    public void Crashed(Exception exception) =>
        Write(LogLevel.Error, "Batch job crashed", LogField.Of("error", exception.GetType().Name + ": " + exception.Message));

    /// <summary>The one way a line is made: stamped, filled, and written by every output in turn.</summary>
    private void Write(LogLevel level, string message, params ReadOnlySpan<LogField> fields)
    {
        lock (_lock)
        {
            _line.Start(time.GetUtcNow().UtcDateTime, level, message, Activity.Current);
            foreach (ref readonly var field in fields)
            {
                _line.Add(field);
            }

            AddBaggage(fields);

            foreach (var output in _outputs)
            {
                output.Write(_line);
            }
        }
    }

    /// <summary>The baggage entries, after the line's own fields; a line's own field wins over an entry of the same name.</summary>
    private void AddBaggage(ReadOnlySpan<LogField> fields)
    {
        foreach (var (key, value) in baggage.Entries)
        {
            var taken = false;
            foreach (ref readonly var field in fields)
            {
                taken |= field.Name == key;
            }

            if (!taken)
            {
                _line.Add(LogField.Of(key, value));
            }
        }
    }
}
