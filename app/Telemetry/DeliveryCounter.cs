using OpenTelemetry;

namespace BatchJob.Telemetry;

/// <summary>
/// What an exporter delivered and what it could not, so the run can say truthfully what reached
/// the collector instead of assuming it all did. The one record of each export's outcome: the
/// <see cref="ExportGate"/> in front of the exporter reads its progress from here.
/// </summary>
/// <param name="gate">Woken after each export, so a producer waiting at a full queue sees the progress.</param>
/// <param name="probe">Asked after a failed export whether anything listens at the endpoint at all.</param>
internal sealed class DeliveryCounter(ExportGate? gate = null, CollectorProbe? probe = null)
{
    private long _exported;
    private long _failed;
    private int _lastResult = -1;

    public long Exported => Interlocked.Read(ref _exported);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Items the exporter is done with, delivered or not.</summary>
    public long Finished => Exported + Failed;

    /// <summary>Whether the latest export succeeded; null before the first.</summary>
    public bool? LastExportSucceeded => Volatile.Read(ref _lastResult) switch { -1 => null, 1 => true, _ => false };

    /// <summary>Runs one export and counts its items as delivered or failed. An exporter must never throw into the SDK: a throw is a failure to deliver.</summary>
    public ExportResult Count(long items, Func<ExportResult> export)
    {
        ArgumentNullException.ThrowIfNull(export);
        ExportResult result;
        try
        {
            result = export();
        }
#pragma warning disable CA1031 // See summary: the SDK gets Failure, never an exception.
        catch (Exception)
#pragma warning restore CA1031
        {
            result = ExportResult.Failure;
        }

        var succeeded = result == ExportResult.Success;
        Interlocked.Add(ref succeeded ? ref _exported : ref _failed, items);
        Volatile.Write(ref _lastResult, succeeded ? 1 : 0);
        gate?.ExportFinished(succeeded);
        if (!succeeded)
        {
            probe?.Probe();
        }

        return result;
    }
}
