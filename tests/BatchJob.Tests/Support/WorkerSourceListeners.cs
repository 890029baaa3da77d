namespace BatchJob.Tests.Support;

/// <summary>
/// Tests that start an OpenTelemetry SDK listening to the worker's ActivitySource ("BatchJob") in
/// this process, and tests that assert a run with telemetry off starts no span. A listener is
/// process-wide: while one test's SDK listens, another test's telemetry-off run would get spans
/// too. Classes in this collection never run at the same time as each other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WorkerSourceListeners
{
    public const string Name = "The worker's ActivitySource, process-wide";
}
