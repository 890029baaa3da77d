using System.Text.Json;

namespace BatchJob.Tests.Support;

/// <summary>What one run of the published worker did: exit code, stdout as JSON lines, stderr, wall time.</summary>
public sealed record WorkerRun(int ExitCode, IReadOnlyList<string> StdoutLines, string Stderr, TimeSpan Elapsed)
{
    /// <summary>Every stdout line parsed as JSON; a line that is not JSON fails the test with the line shown.</summary>
    public IReadOnlyList<JsonElement> Lines => StdoutLines
        .Select(line =>
        {
            try
            {
                return JsonDocument.Parse(line).RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new InvalidOperationException($"stdout line is not JSON: {line}", e);
            }
        })
        .ToList();

    public IEnumerable<JsonElement> WithMessage(string message) =>
        Lines.Where(l => l.TryGetProperty("message", out var m) && m.GetString() == message);

    public JsonElement Summary => WithMessage("Batch job completed").Single().GetProperty("summary");

    public override string ToString() =>
        $"exit {ExitCode} after {Elapsed.TotalSeconds:0.0}s\n--- stdout ---\n{string.Join('\n', StdoutLines)}\n--- stderr ---\n{Stderr}";
}
