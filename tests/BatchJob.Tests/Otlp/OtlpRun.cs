using BatchJob.Tests.Support;

namespace BatchJob.Tests.Otlp;

/// <summary>The environment for running the published worker against an <see cref="OtlpReceiver"/>.</summary>
public static class OtlpRun
{
    /// <summary>Both OTEL_EXPORTER_OTLP_PROTOCOL values, for theories.</summary>
    public static TheoryData<string> Protocols => new() { "grpc", "http/protobuf" };

    /// <summary>
    /// Worker environment pointing at <paramref name="receiver"/> over <paramref name="protocol"/>,
    /// with a 5 s flush bound; <paramref name="extra"/> adds or overrides keys.
    /// </summary>
    public static Dictionary<string, string?> Environment(OtlpReceiver receiver, string protocol, params (string Key, string? Value)[] extra)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(extra);
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.EndpointFor(protocol).AbsoluteUri,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
            ["TELEMETRY_FLUSH_TIMEOUT_MS"] = "5000",
        };
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <summary>Runs the worker against the receiver (see <see cref="Environment"/>).</summary>
    public static Task<WorkerRun> RunAsync(OtlpReceiver receiver, string protocol, params (string Key, string? Value)[] extra) =>
        PublishedWorker.RunAsync(Environment(receiver, protocol, extra));

    /// <summary>Writes JSON lines to a temporary input file and returns its path.</summary>
    public static string TempInput(IEnumerable<string> lines)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("batchjob-otlp-").FullName, "input.jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>A valid record line: <c>{"id": id, "features": [id, 1.5, 2]}</c>.</summary>
    public static string Record(long id) =>
        FormattableString.Invariant($"{{\"id\": {id}, \"features\": [{id}, 1.5, 2]}}");
}
