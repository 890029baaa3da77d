using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("BatchJob.Tests.Support.TestRunReport", "BatchJob.Tests")]

namespace BatchJob.Tests.Support;

/// <summary>
/// xunit's own framework, kept only for the diagnostic message sink it is given: a line sent there
/// shows in `dotnet test`'s default console output (xunit.runner.json turns diagnostic messages
/// on), once per run, whichever test needed it. Output written to a test's
/// <c>ITestOutputHelper</c> shows only when that test fails, and a skip reason not at all.
/// </summary>
public sealed class TestRunReport : XunitTestFramework
{
    private static IMessageSink? sink;

    public TestRunReport(IMessageSink messageSink)
        : base(messageSink)
    {
        sink = messageSink;
    }

    /// <summary>Shows <paramref name="line"/> in the test run's output.</summary>
    public static void Line(string line) => sink?.OnMessage(new DiagnosticMessage(line));
}
