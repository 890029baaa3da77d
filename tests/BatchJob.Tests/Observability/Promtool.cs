namespace BatchJob.Tests.Observability;

/// <summary>
/// promtool, Prometheus' own rule engine and config checker, run as a child process: Debian's
/// <c>prometheus</c> package (promtool 2.42), which .ci/run installs when it is missing.
/// </summary>
/// <remarks>
/// Where promtool is not on the PATH, <see cref="SkipIfMissing"/> makes the calling test report
/// "skipped" with the reason (Xunit.SkippableFact): never a silent pass.
/// </remarks>
public static class Promtool
{
    private static readonly TimeSpan Ceiling = TimeSpan.FromMinutes(2);

    private static readonly Lazy<string?> Found = new(() => Tool.Find("promtool"));

    public static string? Executable => Found.Value;

    public static void SkipIfMissing() =>
        Skip.If(Executable is null, "promtool is not on the PATH: install Debian's prometheus package (.ci/run does) to run this test");

    /// <summary>Runs promtool; returns its exit code and its stdout and stderr together.</summary>
    public static (int ExitCode, string Output) Run(string workingDirectory, params string[] args) =>
        Tool.Run(Executable ?? throw new InvalidOperationException("promtool is not on the PATH"), workingDirectory, args, Ceiling);
}
