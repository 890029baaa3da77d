using System.Diagnostics;
using BatchJob.Configuration;
using BatchJob.Cost;
using BatchJob.Inference;
using BatchJob.Input;
using BatchJob.Logging;
using BatchJob.Output;
using BatchJob.Telemetry;

namespace BatchJob.Processing;

/// <summary>
/// The pipeline, one record at a time: read a line, parse it, predict, time it, cost it, record
/// its span and metrics, log it, write it. Nothing is held per record after it is done, so memory
/// stays flat however long the input.
/// </summary>
/// <param name="recordSampler">The SDK's sampler: record spans it would drop are not started at all.</param>
internal sealed class BatchRunner(
    BatchOptions options, BatchTelemetry telemetry, BatchLog log, RecordSampler recordSampler, RecordParser parser, SumModel model, CostModel cost)
{
    private readonly BatchStatistics _stats = new();
    private readonly BudgetGuard _budget = new((double?)options.Cost.BudgetUsd);

    // Boxed once: every kept record span carries these, and boxing per record would allocate.
    private readonly object _shardIndex = (long)options.Shard.Index;
    private readonly object _cpuCores = options.Cost.CpuCores;
    private readonly object _memoryMiB = options.Cost.MemoryMiB;

    /// <summary>Runs the batch to the end of the input, or until <paramref name="cancellation"/> fires.</summary>
    /// <returns>The summary, which is also logged (see <see cref="Complete"/>).</returns>
    /// <exception cref="InputException">The input cannot be opened or read.</exception>
    public BatchSummary Run(CancellationToken cancellation)
    {
        using var batch = telemetry.Source.StartActivity(BatchTelemetry.BatchSpan, ActivityKind.Internal, options.Telemetry.RemoteParent);
        try
        {
            return Run(batch, cancellation);
        }
        catch (Exception e)
        {
            // The semantic-convention exception event, on the span the run failed in.
            batch?.AddException(e).SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    private BatchSummary Run(Activity? batch, CancellationToken cancellation)
    {
        var usage = new ResourceUsage();
        batch?.SetTag("batch.input", options.InputPath);

        StartBatch();
        // Null when the cancellation came while the input was opening (a FIFO waiting for its
        // writer): there is nothing to read, and the loop below ends at once as interrupted.
        using var input = OpenInput(cancellation) ?? Stream.Null;
        // RESUME needs a file it can seek in and hash again; a pipe's run cannot be continued.
        using var resumption = options.Resume && input is FileStream { CanSeek: true } ? new Resumption(options, log) : null;
        var from = resumption?.Start((FileStream)input);
        if (from is not null)
        {
            _stats.Restore(from.Totals);
        }

        using var reader = new JsonLinesReader(input, options.MaxLineBytes, from?.Offset ?? 0, from?.Line ?? 0, resumption?.Hash, cancellation);
        using var output = options.OutputPath is null ? null : new PredictionWriter(File(options.OutputPath, resumption, from?.PredictionsBytes));
        using var rejects = new RejectedLines(batch, options.RejectsPath is null ? null : new RejectsWriter(File(options.RejectsPath, resumption, from?.RejectsBytes)));

        var shard = options.Shard;
        if (shard.IsSharded)
        {
            batch?.SetTag("shard.index", _shardIndex).SetTag("shard.count", (long)shard.Count);
        }

        // A pipe's size is not known in advance: 0 here means no ETA.
        var totalBytes = input.CanSeek ? input.Length : 0;
        var started = Stopwatch.GetTimestamp();
        var progress = new ProgressTracker(options.BatchSize, TimeSpan.FromSeconds(options.ProgressIntervalSeconds), started, _stats.Total, from?.Offset ?? 0);
        var checkpoints = resumption is null ? null : new CheckpointSchedule(TimeSpan.FromSeconds(options.CheckpointIntervalSeconds), started);
        var ordinal = from?.Ordinal ?? -1;
        long? linesUnread = null;
        var budgetStop = false;
        // While records are processed the batch span stands aside as not recorded: a latency
        // measured outside a sampled record span (a record the sampler skipped) then offers no
        // exemplar (OTEL_METRICS_EXEMPLAR_FILTER=trace_based reads Activity.Current), so exemplars
        // point only at record spans. It is recorded again before it ends, and exported as ever.
        var batchFlags = batch?.ActivityTraceFlags ?? ActivityTraceFlags.None;
        if (batch is not null)
        {
            batch.ActivityTraceFlags = batchFlags & ~ActivityTraceFlags.Recorded;
        }

        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                var lineStart = reader.BytesConsumed;
                var kind = Read(reader, out var line, cancellation);
                if (kind == LineKind.End)
                {
                    break;
                }

                if (kind == LineKind.Blank)
                {
                    // Counted once across shards, by shard 0, so combined summaries add up.
                    if (shard.Index == 0)
                    {
                        _stats.AddBlank();
                    }

                    continue;
                }

                // Not ours: another shard of the Indexed Job parses it. Only the newline scan is spent here.
                if (!shard.Owns(++ordinal))
                {
                    continue;
                }

                if (_budget.MustStop(_stats))
                {
                    budgetStop = true;
                    linesUnread = StopAtBudget(batch, reader, input.CanSeek, lineStart, totalBytes, cancellation);
                    break;
                }

                // The record's own end time stands in for "now": one clock read fewer per record.
                var now = ProcessLine(kind, line, reader.LineNumber, lineStart, reader.BytesConsumed - lineStart, output, rejects);
                var total = _stats.Total;
                if (total % options.BatchSize == 0)
                {
                    if (checkpoints?.IsDue(now) == true)
                    {
                        Checkpoint(resumption!, reader, ordinal, output!, rejects);
                    }
                    else
                    {
                        output?.Flush();
                        rejects.Flush();
                    }
                }

                if (progress.IsDue(total, now))
                {
                    var report = progress.Report(total, now, reader.BytesConsumed, totalBytes, options.Cost.Enabled ? _stats.CostUsd : null);
                    log.BatchProgress(report);
                    WarnIfForecastOverBudget(report.ForecastCostUsd);
                }
            }
        }
        finally
        {
            if (batch is not null)
            {
                batch.ActivityTraceFlags = batchFlags;
            }
        }

        var interrupted = cancellation.IsCancellationRequested && !budgetStop;
        return Complete(usage, interrupted, budgetStop, linesUnread, output, rejects, resumption, from);
    }

    /// <summary>The file behind a writer: RESUME continues the run's partial file, cut to what the checkpoint counts (0: from the start).</summary>
    private static AtomicFile File(string path, Resumption? resumption, long? checkpointed) =>
        resumption is null ? new AtomicFile(path) : AtomicFile.Resumable(path, checkpointed ?? 0);

    /// <summary>
    /// RESUME: the results so far made durable, then the checkpoint that counts on them. A kill
    /// before the checkpoint's rename leaves the previous one, whose shorter lengths the next pod cuts the files back to.
    /// </summary>
    private void Checkpoint(Resumption resumption, JsonLinesReader reader, long ordinal, PredictionWriter output, RejectedLines rejects)
    {
        output.Sync();
        var rejectsBytes = rejects.Sync();
        resumption.Save(new Checkpoint(
            options.InputPath,
            options.Shard.Index,
            options.Shard.Count,
            options.MaxLineBytes,
            reader.BytesConsumed,
            reader.LineNumber,
            ordinal,
            Convert.ToHexStringLower(reader.ConsumedHash()),
            output.Length,
            rejectsBytes,
            _stats.Snapshot()));
    }

    /// <summary>
    /// The budget stop: the forecast WARN if it was not said yet, the span event, and how many input
    /// lines were left, the one in hand included (counted only in a file: a pipe could keep a count waiting).
    /// </summary>
    private long? StopAtBudget(Activity? batch, JsonLinesReader reader, bool seekable, long lineStart, long totalBytes, CancellationToken cancellation)
    {
        var spent = _stats.CostUsd;
        WarnIfForecastOverBudget(BudgetGuard.Forecast(spent, lineStart, totalBytes));
        batch?.AddEvent(new ActivityEvent("budget.exceeded", tags: new ActivityTagsCollection
        {
            ["cost_usd"] = spent, ["budget_usd"] = _budget.BudgetUsd, ["line"] = reader.LineNumber,
        }));
        if (!seekable)
        {
            return null;
        }

        long unread = 1;
        while (Read(reader, out _, cancellation) != LineKind.End)
        {
            unread++;
        }

        return unread;
    }

    private void WarnIfForecastOverBudget(double? forecast)
    {
        if (_budget.FirstForecastOver(forecast))
        {
            log.ForecastOverBudget(forecast!.Value, _budget.BudgetUsd!.Value);
        }
    }

    /// <summary>The guide's <c>batch_start</c>: the run's settings, recorded once, before any input is touched.</summary>
    private void StartBatch()
    {
        using var span = telemetry.Source.StartActivity(BatchTelemetry.BatchStartSpan);
        span?.SetTag("app.env", options.AppEnvironment)
            .SetTag("batch.size", options.BatchSize)
            .SetTag("cpu_cores", cost.CpuCores)
            .SetTag("memory_mb", cost.MemoryMiB)
            .SetTag("cost_tracking", options.Cost.Enabled);
    }

    /// <summary>
    /// The guide's <c>read_input_data</c>: opening the input. Records are then streamed from it one
    /// at a time, each read inside its own <c>process_record</c> span, so this span stays a sibling of them.
    /// </summary>
    /// <returns>The open input, or null when <paramref name="cancellation"/> came first.</returns>
    private FileStream? OpenInput(CancellationToken cancellation)
    {
        using var span = telemetry.Source.StartActivity(BatchTelemetry.ReadInputSpan);
        try
        {
            // Opening a FIFO blocks until a writer opens it; a signal must not have to wait for that.
            var stream = Interruptible.Run(
                () => new FileStream(options.InputPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan),
                cancellation);
            // A pipe or FIFO (also /dev/stdin fed by a pipe) has no size to give.
            long? bytes = stream.CanSeek ? stream.Length : null;
            span?.SetTag("input.path", options.InputPath).SetTag("input.bytes", bytes);
            log.JobStarting(options.AppEnvironment, options.InputPath, bytes, options.OutputPath, cost.CpuCores, cost.MemoryMiB, options.Cost.Enabled);
            return stream;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw new InputException($"cannot open '{options.InputPath}': {e.Message}", e);
        }
    }

    /// <returns><see cref="LineKind.End"/> also when <paramref name="cancellation"/> ended a read that was waiting or skipping.</returns>
    private LineKind Read(JsonLinesReader reader, out ReadOnlySpan<byte> line, CancellationToken cancellation)
    {
        try
        {
            return reader.Read(out line);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            line = default;
            return LineKind.End;
        }
        catch (IOException e)
        {
            throw new InputException($"cannot read '{options.InputPath}' after line {reader.LineNumber}: {e.Message}", e);
        }
    }

    /// <returns>The clock's timestamp when the record's work was done.</returns>
    /// <param name="offset">Where the line starts in the input; with <paramref name="length"/> it locates a line too long to hold.</param>
    private long ProcessLine(LineKind kind, ReadOnlySpan<byte> line, long lineNumber, long offset, long length, PredictionWriter? output, RejectedLines rejects)
    {
        var started = Stopwatch.GetTimestamp();
        using var span = recordSampler.SkipIfUnsampled() ? null : telemetry.Source.StartActivity(BatchTelemetry.RecordSpan);
        if (kind == LineKind.TooLong)
        {
            var message = $"line is longer than MAX_LINE_BYTES ({options.MaxLineBytes} bytes)";
            Fail(span, lineNumber, message, null);
            rejects.AddLocated(lineNumber, RejectKind.LineTooLong, message, offset, length);
            return Stopwatch.GetTimestamp();
        }

        if (!parser.TryParse(line, out var record, out var error, out var idSeen))
        {
            Fail(span, lineNumber, error!, idSeen);
            rejects.Add(lineNumber, parser.LastRejection, error!, line);
            return Stopwatch.GetTimestamp();
        }

        var prediction = model.Predict(record.Features);
        if (double.IsNaN(prediction))
        {
            const string message = "the sum of the features overflows a double";
            Fail(span, lineNumber, message, record.Id);
            rejects.Add(lineNumber, RejectKind.Overflow, message, line);
            return Stopwatch.GetTimestamp();
        }

        // Cost is computed from the latency as printed, so every log line checks against the formula.
        var finished = Stopwatch.GetTimestamp();
        var latencyMs = Math.Round(Stopwatch.GetElapsedTime(started, finished).TotalMilliseconds, 4);
        var costUsd = cost.CostUsd(latencyMs);
        // A span the sampler dropped records nothing: skip the tags and their boxing.
        if (span is { IsAllDataRequested: true })
        {
            // AddTag, not SetTag: a new span has no tags to replace, so skip the search.
            span.AddTag("record.id", record.Id.ToAttribute());
            span.AddTag("prediction", prediction);
            span.AddTag("latency_ms", latencyMs);
            if (options.Cost.Enabled)
            {
                span.AddTag("cost_usd", costUsd);
            }

            span.AddTag("cpu_cores", _cpuCores);
            span.AddTag("memory_mb", _memoryMiB);
            if (options.Shard.IsSharded)
            {
                span.AddTag("shard.index", _shardIndex);
            }
        }

        telemetry.RecordsProcessed.Add(1);
        telemetry.RecordLatency.Record(latencyMs);
        if (options.LogRecords)
        {
            log.RecordProcessed(record.Id, prediction, latencyMs, options.Cost.Enabled ? costUsd : null);
        }

        output?.Write(record.Id, prediction);
        _stats.AddSuccess(prediction, latencyMs, costUsd);
        return finished;
    }

    private void Fail(Activity? span, long lineNumber, string error, RecordId? id)
    {
        if (span is not null)
        {
            span.SetStatus(ActivityStatusCode.Error, error);
            span.SetTag("record.line", lineNumber);
            if (id is { } known)
            {
                span.SetTag("record.id", known.ToAttribute());
            }
        }

        log.RecordFailed(lineNumber, error, id);
        _stats.AddFailure();
    }

    /// <summary>
    /// The guide's <c>batch_complete</c>: the summary, its metrics and span attributes, the
    /// predictions file published, and the summary line, written while this span is current so
    /// that the line and its LogRecord carry the span's ids.
    /// </summary>
    /// <param name="resumption">RESUME: an interrupted run keeps its partial files and last checkpoint for the next pod (the
    /// lines after that checkpoint are done again, so the result is exact wherever the run stopped); a finished one removes the checkpoint.</param>
    private BatchSummary Complete(
        ResourceUsage usage, bool interrupted, bool budgetStop, long? linesUnread, PredictionWriter? output, RejectedLines rejects, Resumption? resumption, Checkpoint? from)
    {
        using var span = telemetry.Source.StartActivity(BatchTelemetry.BatchCompleteSpan);
        var summary = _stats.ToSummary(
            options.Cost.Enabled,
            usage.CpuUtilization(cost.CpuCores),
            ResourceUsage.PeakMemoryMiB(),
            usage.ElapsedMs,
            interrupted);
        if (options.Shard.IsSharded)
        {
            summary = summary with { ShardIndex = options.Shard.Index, ShardCount = options.Shard.Count };
        }

        if (_budget.BudgetUsd is { } budget)
        {
            summary = summary with { BudgetUsd = budget, BudgetExceeded = budgetStop, LinesUnread = linesUnread };
        }

        if (resumption is not null)
        {
            summary = summary with { ResumedFromLine = from?.Line ?? 0, RunTotalCostUsd = options.Cost.Enabled ? _stats.CostUsd : null };
        }

        telemetry.BatchProcessing.Record(summary.BatchProcessingMs);
        telemetry.CpuUtilization.Record(summary.CpuUtilization);
        if (summary.TotalCostUsd is { } totalCost && summary.CostPerRecordUsd is { } perRecord)
        {
            telemetry.BatchCost.Record(totalCost);
            telemetry.CostPerRecord.Record(perRecord);
        }

        if (span is not null)
        {
            foreach (var (name, value) in summary.Fields())
            {
                span.SetTag(name, value);
            }
        }

        var shard = options.Shard;
        var publish = resumption is null || !interrupted;
        if (publish)
        {
            output?.Publish(summary.Successful, summary.AvgPrediction, interrupted, shard.IsSharded ? (shard.Index, shard.Count) : null);
        }

        rejects.Complete(publish);
        if (publish)
        {
            resumption?.Finish();
        }

        log.BatchCompleted(summary);
        return summary;
    }
}
