using System.Diagnostics;
using BatchJob.Configuration;
using OpenTelemetry;

namespace BatchJob.Telemetry;

/// <summary>
/// Puts the run's W3C baggage on every span it starts, as attributes, so a backend can group and
/// filter the spans by what launched the run (e.g. <c>cost_center</c>). Registered only when
/// BAGGAGE holds entries: without it, spans pay nothing.
/// </summary>
internal sealed class BaggageSpanProcessor(W3CBaggage baggage) : BaseProcessor<Activity>
{
    public override void OnStart(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        foreach (var (key, value) in baggage.Entries)
        {
            data.SetTag(key, value);
        }
    }
}
