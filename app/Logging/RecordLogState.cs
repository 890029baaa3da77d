using System.Collections;

namespace BatchJob.Logging;

/// <summary>
/// The "Record processed" fields as the attribute list OpenTelemetry's logger reads: id,
/// prediction, latency_ms, cost_usd (when costed), then the message the SDK makes the body.
/// </summary>
internal sealed class RecordLogState : IReadOnlyList<KeyValuePair<string, object?>>
{
    private RecordLine _line;

    public int Count => _line.CostUsd is null ? 4 : 5;

    public KeyValuePair<string, object?> this[int index] => (index, _line.CostUsd) switch
    {
        (0, _) => new("id", _line.Id.ToAttribute()),
        (1, _) => new("prediction", _line.Prediction),
        (2, _) => new("latency_ms", _line.LatencyMs),
        (3, { } cost) => new("cost_usd", cost),
        (3, null) or (4, not null) => new("{OriginalFormat}", "Record processed"),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public void Set(in RecordLine line) => _line = line;

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
