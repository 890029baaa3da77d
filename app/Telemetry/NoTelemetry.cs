namespace BatchJob.Telemetry;

/// <summary>ENABLE_TELEMETRY=false: no SDK was started, so there is nothing to wait for, flush or lose.</summary>
internal sealed class NoTelemetry : ITelemetryShutdown
{
    public bool Enabled => false;

    public void StopWaiting()
    {
    }

    public TelemetryDelivery Shutdown() => new(SignalDelivery.None, FlushedInTime: true, MetricsDelivered: null);
}
