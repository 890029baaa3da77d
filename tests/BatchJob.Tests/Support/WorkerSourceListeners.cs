namespace BatchJob.Tests.Support;

/// <summary>
/// Every test class that runs the worker inside the test process, or starts an OpenTelemetry SDK
/// listening to its ActivitySource ("BatchJob"). The source's name is process-wide: while one
/// test's SDK listens, another test's in-process run starts spans that SDK exports (a fresh clone's
/// run saw 41,420 foreign spans in one test's delivery WARN), and a telemetry-off run gets trace
/// ids. Classes in this collection never run at the same time as each other; the published worker's
/// tests, separate processes, still run beside them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WorkerSourceListeners
{
    public const string Name = "The worker's ActivitySource, process-wide";
}
