using OpenTelemetry;

namespace BatchJob.Telemetry;

/// <summary>
/// Wraps an exporter and counts what it delivered and what it could not, so the run can say
/// truthfully what reached the collector instead of assuming it all did.
/// </summary>
public sealed class DeliveryCountingExporter<T>(BaseExporter<T> inner) : BaseExporter<T>
    where T : class
{
    private long _exported;
    private long _failed;
    private int _lastResult = -1;

    public long Exported => Interlocked.Read(ref _exported);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Whether the latest export succeeded; null before the first.</summary>
    public bool? LastExportSucceeded => Volatile.Read(ref _lastResult) switch { -1 => null, 1 => true, _ => false };

    public override ExportResult Export(in Batch<T> batch)
    {
        var count = batch.Count;
        ExportResult result;
        try
        {
            result = inner.Export(batch);
        }
#pragma warning disable CA1031 // An exporter must never throw into the SDK; a failure is a failure to deliver.
        catch (Exception)
#pragma warning restore CA1031
        {
            result = ExportResult.Failure;
        }

        Interlocked.Add(ref result == ExportResult.Success ? ref _exported : ref _failed, count);
        Volatile.Write(ref _lastResult, result == ExportResult.Success ? 1 : 0);
        return result;
    }

    protected override bool OnForceFlush(int timeoutMilliseconds) => inner.ForceFlush(timeoutMilliseconds);

    protected override bool OnShutdown(int timeoutMilliseconds) => inner.Shutdown(timeoutMilliseconds);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
