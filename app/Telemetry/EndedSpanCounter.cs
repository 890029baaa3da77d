using System.Diagnostics;
using OpenTelemetry;

namespace BatchJob.Telemetry;

/// <summary>Counts the recorded spans that end, so spans the export queue dropped can be told from spans delivered.</summary>
internal sealed class EndedSpanCounter : BaseProcessor<Activity>
{
    private long _ended;

    public long Ended => Interlocked.Read(ref _ended);

    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Recorded)
        {
            Interlocked.Increment(ref _ended);
        }
    }
}
