using BatchJob.Tests.Support;

namespace BatchJob.Tests.Processing;

/// <summary>
/// Issue 21: no error path prints a stack trace, on stdout or stderr. Every way out the published
/// worker can be driven to from outside is run, and each must end with its documented code and
/// one-line messages only.
/// </summary>
public sealed class ErrorPathOutputTests
{
    public static TheoryData<string, string, int> Paths() => new()
    {
        { "bad configuration", "BATCH_SIZE=0", 2 },
        { "bad OTLP headers, telemetry on", "OTEL_EXPORTER_OTLP_HEADERS=api-keySECRET|ENABLE_TELEMETRY=true|OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:9", 2 },
        { "bad endpoint with a password", "OTEL_EXPORTER_OTLP_ENDPOINT=http://alice:S3C#RETPW@127.0.0.1:9|ENABLE_TELEMETRY=true", 2 },
        { "missing input", "INPUT_PATH=/nonexistent/input.jsonl", 2 },
        { "input that fails to read", "INPUT_PATH=/proc/self/mem", 2 },
        { "output folder missing", "OUTPUT_PATH=/nonexistent/predictions.jsonl", 2 },
        { "too many failed records", "INPUT_PATH=@bad", 3 },
        { "stdout closed", "@>&-", 2 },
        { "stdout read-only", "@1</dev/null", 2 },
        { "input is the log", "INPUT_PATH=@self", 2 },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task No_error_path_prints_a_stack_trace(string path, string setup, int expectedCode)
    {
        var dir = Directory.CreateTempSubdirectory("batchjob-error-path-").FullName;
        var environment = new Dictionary<string, string?> { ["ENABLE_TELEMETRY"] = "false", ["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "disabled" };
        var redirect = string.Empty;
        foreach (var part in setup.Split('|'))
        {
            if (part.StartsWith('@'))
            {
                redirect = part[1..];
                continue;
            }

            var (key, value) = (part[..part.IndexOf('=')], part[(part.IndexOf('=') + 1)..]);
            environment[key] = value switch
            {
                "@bad" => InProcessRun.TempInput("not json\n{\"id\": 1, \"features\": [1]}\n"),
                "@self" => Path.Combine(dir, "log.jsonl"),
                _ => value,
            };
            if (value == "@self")
            {
                File.WriteAllText(Path.Combine(dir, "log.jsonl"), "bad\n");
                redirect = ">> log.jsonl";
            }
        }

        var run = await PublishedWorker.RunAsync(environment, workingDirectory: dir, wrapper: ["/bin/sh", "-c", $"exec \"$0\" {redirect}"], timeout: TimeSpan.FromSeconds(120));

        run.ExitCode.Should().Be(expectedCode, $"{path}: {run}");
        var written = run.StdoutLines.Concat(run.Stderr.Split('\n')).Concat(File.Exists(Path.Combine(dir, "log.jsonl")) ? File.ReadAllLines(Path.Combine(dir, "log.jsonl")) : []).ToList();
        written.Should().NotContain(l => l.Contains("   at ", StringComparison.Ordinal), $"{path}: no stack frame: {run}");
        written.Should().NotContain(l => l.Contains("--- End of", StringComparison.Ordinal), path);
        written.Should().NotContain(l => l.Contains("RETPW", StringComparison.Ordinal) || l.Contains("SECRET", StringComparison.Ordinal), path);
    }
}
