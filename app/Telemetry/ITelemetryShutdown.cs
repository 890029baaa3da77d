namespace BatchJob.Telemetry;

/// <summary>
/// The end of a run's telemetry, whichever is registered: the SDK's (<see cref="TelemetryPipeline"/>)
/// or none at all (<see cref="NoTelemetry"/>, ENABLE_TELEMETRY=false).
/// </summary>
internal interface ITelemetryShutdown
{
    /// <summary>Whether an OpenTelemetry SDK records this run.</summary>
    bool Enabled { get; }

    /// <summary>From now on nothing waits for an exporter (SIGTERM, a broken stdout, shutdown).</summary>
    void StopWaiting();

    /// <summary>Flushes what was recorded, within the flush bound, and reports what was delivered.</summary>
    TelemetryDelivery Shutdown();
}
