using System.Diagnostics;
using BatchJob.Output;

namespace BatchJob.Processing;

/// <summary>The batch's summary and the <c>batch_complete</c> span it belongs to (for the summary log line, written after the span has ended).</summary>
public sealed record BatchResult(BatchSummary Summary, ActivityContext CompletionSpan);
