using System.Diagnostics;
using BatchJob.Input;
using BatchJob.Output;

namespace BatchJob.Processing;

/// <summary>
/// Where a rejected line goes besides its ERROR line: the rejects file (REJECTS_PATH), and a
/// <c>record.rejected</c> event on the batch span, capped at <see cref="MaxEvents"/> so a million bad
/// lines cannot bloat one span; the rest are counted in one <c>record.rejected.truncated</c> event.
/// </summary>
internal sealed class RejectedLines(Activity? batchSpan, RejectsWriter? file) : IDisposable
{
    public const int MaxEvents = 100;

    private long _count;

    /// <param name="raw">The line as read, without its line ending.</param>
    public void Add(long lineNumber, RejectKind kind, string message, ReadOnlySpan<byte> raw)
    {
        AddEvent(lineNumber, kind);
        file?.Write(lineNumber, kind.Name(), message, raw);
    }

    /// <summary>A line too long to have been held in memory: the file says where it is instead.</summary>
    public void AddLocated(long lineNumber, RejectKind kind, string message, long offset, long length)
    {
        AddEvent(lineNumber, kind);
        file?.WriteLocated(lineNumber, kind.Name(), message, offset, length);
    }

    public void Flush() => file?.Flush();

    /// <summary>RESUME: the rejects file's length (-1 without one), after syncing it to disk.</summary>
    public long Sync()
    {
        file?.Sync();
        return file?.Length ?? -1;
    }

    /// <summary>The count of events left out, and the rejects file moved into place.</summary>
    /// <param name="publish">False when a RESUME run stops unfinished: its partial file is kept for the next pod.</param>
    public void Complete(bool publish = true)
    {
        if (_count > MaxEvents)
        {
            batchSpan?.AddEvent(new ActivityEvent("record.rejected.truncated", tags: new ActivityTagsCollection { ["count"] = _count - MaxEvents }));
        }

        if (publish)
        {
            file?.Publish();
        }
    }

    public void Dispose() => file?.Dispose();

    private void AddEvent(long lineNumber, RejectKind kind)
    {
        if (++_count <= MaxEvents)
        {
            batchSpan?.AddEvent(new ActivityEvent("record.rejected", tags: new ActivityTagsCollection { ["line"] = lineNumber, ["error.type"] = kind.Name() }));
        }
    }
}
