using System.Text;
using System.Text.Json;

namespace BatchJob.Tests.Support;

/// <summary>Runs <see cref="BatchApplication"/> in-process with a made-up environment; telemetry off unless asked.</summary>
internal static class InProcessRun
{
    public static (ExitCode Code, IReadOnlyList<JsonElement> Lines, string Stdout) Run(
        IDictionary<string, string?> environment, string[]? args = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var env = new Dictionary<string, string?>(environment);
        env.TryAdd("ENABLE_TELEMETRY", "false");
        using var stdout = new MemoryStream();
        var workingDirectory = Directory.CreateTempSubdirectory("batchjob-inproc-").FullName;
        var code = BatchApplication.Run(args ?? [], stdout, workingDirectory, env, cancellation);
        var text = Encoding.UTF8.GetString(stdout.ToArray());
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .ToList();
        return (code, lines, text);
    }

    /// <summary>Writes <paramref name="content"/> to a new temp file and returns its path.</summary>
    public static string TempInput(string content) => TempInput(Encoding.UTF8.GetBytes(content));

    public static string TempInput(byte[] content)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("batchjob-input-").FullName, "input.jsonl");
        File.WriteAllBytes(path, content);
        return path;
    }

    public static IEnumerable<JsonElement> WithMessage(this IEnumerable<JsonElement> lines, string message) =>
        lines.Where(l => l.GetProperty("message").GetString() == message);
}
