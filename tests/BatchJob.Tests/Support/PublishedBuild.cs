namespace BatchJob.Tests.Support;

/// <summary>The worker the process-level tests start: its executable, and whether it is the native AOT build.</summary>
public sealed record PublishedBuild(string Executable, bool NativeAot);
