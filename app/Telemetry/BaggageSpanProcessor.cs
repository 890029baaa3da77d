using System.Diagnostics;
using BatchJob.Configuration;
using OpenTelemetry;

namespace BatchJob.Telemetry;

/// <summary>
/// Puts the run's W3C baggage on every span it starts, as attributes, so a backend can group and
/// filter the spans by what launched the run (e.g. <c>cost_center</c>). Registered only when
/// BAGGAGE holds entries: without it, spans pay nothing. Added when the span ends, before it is
/// exported (this processor is registered before the exporting one), and only where the span has no
/// attribute of that name: the span's own attribute wins, as a log line's own field does. Added at
/// the start, an entry named like a record attribute would sit beside it (the runner uses AddTag).
/// </summary>
internal sealed class BaggageSpanProcessor(W3CBaggage baggage) : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        foreach (var (key, value) in baggage.Entries)
        {
            if (data.GetTagItem(key) is null)
            {
                data.SetTag(key, value);
            }
        }
    }
}
