using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BatchJob.Tests.Otlp;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Kit;

/// <summary>
/// setup.md's Steps 12 and 13 are one run of the one-time Job's pod: what it prints, and what the collector receives.
/// Each test run starts the published worker with exactly the environment and arguments the Job gives its pod (its
/// volumes as temporary folders) against a real OTLP receiver, and holds the guide to it: Step 12 shows this run's lines
/// with this run's fields in this order (the baggage, the results folder, the resume fields; no WARN, as everything
/// was delivered), and Step 13's span list, metric list, span and LogRecord are what this run exported, as the debug
/// exporter prints them, with Step 12's values.
/// To regenerate the outputs (as root, with 127.0.0.1:4317 free):
/// <c>GUIDE_POD_RUN=1 nice -n 19 dotnet test tests/BatchJob.Tests --filter FullyQualifiedName~GuidePodRunTests</c>
/// runs the worker in tests/pod-sandbox.sh instead (the pod's paths, user, hostname, CPU quota and endpoint), the
/// receiver on 4317, and writes Steps 12, 13 and 15's new blocks to guide-pod-run.md beside the test assembly (the
/// test output names it) for pasting into setup.md (the checks compare fields and types with the run, values within the
/// guide, so they hold the pasted blocks as they held the old ones).
/// </summary>
public sealed partial class GuidePodRunTests
{
    private const string WriteVariable = "GUIDE_POD_RUN";
    private const string PodName = Manifests.JobName + "-x7k2p";
    private const string RecordMessage = "Record processed";

    [Fact]
    public async Task Steps_12_and_13_show_what_the_Job_pod_prints_and_the_collector_receives()
    {
        var sandboxed = Environment.GetEnvironmentVariable(WriteVariable) == "1";
        await using var receiver = await OtlpReceiver.StartAsync(grpcPort: sandboxed ? 4317 : 0);
        var env = PodEnvironment.Build(Template, Manifests.BatchContainer, PodName, Manifests.JobName, Manifests.Namespace);
        var run = sandboxed ? await RunSandboxedAsync(env) : await RunAsync(env, receiver);
        run.ExitCode.Should().Be(0, run.ToString());
        var lines = run.StdoutLines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var record = lines.First(l => (string?)l["message"] == RecordMessage);
        var span = receiver.Spans.First(s => s.Name == "process_record");
        var log = receiver.Logs.First(l => l.Body == RecordMessage);
        (span.TraceId, span.SpanId, log.TraceId, log.SpanId).Should().Be(((string)record["trace_id"]!, (string)record["span_id"]!, (string)record["trace_id"]!, (string)record["span_id"]!));
        if (sandboxed)
        {
            receiver.TraceRequests.Should().Be(1, "Span #N numbers the spans of one export");
            receiver.LogRequests.Should().Be(1, "LogRecord #N numbers the log records of one export");
            var file = Path.Combine(AppContext.BaseDirectory, "guide-pod-run.md");
            await File.WriteAllTextAsync(file, NewBlocks(run, receiver, record, span, log));
            TestRunReport.Line($"{WriteVariable}=1: Steps 12, 13 and 15 of a sandboxed pod run are in {file}");
        }

        // Step 12: this run's lines, each with this run's fields in this order.
        var shown = SetupGuide.PodRunLines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        shown.Select(SetupGuide.LineShape).Should().Equal(lines.Select(SetupGuide.LineShape), "Step 12 shows a run of the Job's pod, every line and field (and no WARN: all was delivered)");
        var baggage = ((string)Manifests.Container(Template, Manifests.BatchContainer)["env"]!.AsArray().Single(e => (string)e!["name"]! == "BAGGAGE")!["value"]!)
            .Split(',').Select(e => e.Split('=')).ToList();
        shown.Should().OnlyContain(l => baggage.All(e => (string?)l[e[0]] == e[1]), "every line carries the Job's BAGGAGE");
        var start = shown.Single(l => (string?)l["message"] == "Starting batch inference job");
        var output = Manifests.Container(Template, Manifests.BatchContainer)["args"]!.AsArray().Select(a => (string)a!).Single(a => a.StartsWith("--output=", StringComparison.Ordinal));
        ((string?)start["output"]).Should().Be(PodEnvironment.Expand(output["--output=".Length..], env).Replace("{shard}", "0", StringComparison.Ordinal));
        ((string?)start["input"]).Should().Be("/app/data/input.jsonl", "the sample in the image (WORKDIR /app): the data folder has no input.jsonl");
        var summary = shown.Single(l => l["summary"] is not null)["summary"]!;
        ((double)summary["avg_prediction"]!).Should().Be(10.5);
        ((long)summary["resumed_from_line"]!).Should().Be(0);
        ((double)summary["run_total_cost_usd"]!).Should().Be((double)summary["total_cost_usd"]!, "a run that did not resume spent it all itself");

        // Step 13: the span and metric names the collector prints, then the first record's span and LogRecord.
        var names = SetupGuide.Blocks().Single(b => b.Lines.Contains(SpanName("batch_start"))).Lines;
        names.Where(l => l.StartsWith("    Name ", StringComparison.Ordinal)).Should().Equal(receiver.Spans.Select(s => SpanName(s.Name)));
        names.Where(l => l.StartsWith("     -> Name: ", StringComparison.Ordinal)).Should()
            .Equal(receiver.Metrics.Select(m => m.Name).Where(n => LabMetric().IsMatch(n)).Distinct().Select(n => "     -> Name: " + n), "the grep keeps the names without a dot");
        var block = SetupGuide.Blocks().Single(b => b.Lines.Any(l => l.StartsWith("Span #", StringComparison.Ordinal))).Lines;
        var shownRecord = shown.First(l => (string?)l["message"] == RecordMessage);
        var parent = block.Single(l => l.StartsWith("    Parent ID ", StringComparison.Ordinal))["    Parent ID      : ".Length..];
        parent.Should().MatchRegex("^[0-9a-f]{16}$").And.NotBe((string)shownRecord["span_id"]!);
        var spanIndex = names.TakeWhile(l => l != SpanName("process_record")).Count(l => l.StartsWith("    Name ", StringComparison.Ordinal));
        receiver.Logs.Select(l => l.Body).Should().Equal(lines.Select(l => (string)l["message"]!), "every line is a LogRecord, in order: LogRecord #N counts Step 12's lines");
        block.Should().Equal(SpanAndLogRecord(spanIndex, span, parent, shown.IndexOf(shownRecord), log, shownRecord), "Step 13 shows the run's first record as exported, with Step 12's values");
    }

    private static JsonObject Template => Manifests.PodTemplate("Job", Manifests.JobName);

    /// <summary>The pod's volumes as temporary folders; only the endpoint is redirected, to the receiver.</summary>
    private static Task<WorkerRun> RunAsync(Dictionary<string, string> env, OtlpReceiver receiver)
    {
        var (args, run, _) = PodVolumes.Map(Template, Manifests.Container(Template, Manifests.BatchContainer), env);
        run["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.GrpcEndpoint.AbsoluteUri;
        return PublishedWorker.RunAsync(run, args);
    }

    /// <summary>The pod's own paths, user, hostname and CPU quota; its endpoint resolves to the receiver on 4317.</summary>
    private static Task<WorkerRun> RunSandboxedAsync(Dictionary<string, string> env)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("tests/pod-sandbox.sh needs Linux namespaces");
        }

        // The data folder as a student's clone has it (755), results writable by the pod's user (setup.md: chmod a+rwx).
        var data = Directory.CreateTempSubdirectory("pod-data-");
        data.UnixFileMode = (UnixFileMode)Convert.ToInt32("755", 8);
        data.CreateSubdirectory("input");
        data.CreateSubdirectory("results").UnixFileMode = (UnixFileMode)Convert.ToInt32("777", 8);
        var args = Manifests.Container(Template, Manifests.BatchContainer)["args"]!.AsArray().Select(a => PodEnvironment.Expand((string)a!, env));
        string[] wrapper = ["bash", Repo.File("tests", "pod-sandbox.sh"), data.FullName, PodName, .. env.Select(e => e.Key + "=" + e.Value), "--"];
        return PublishedWorker.RunAsync(new Dictionary<string, string?>(), args, wrapper: wrapper);
    }

    private static string SpanName(string name) => "    Name           : " + name;

    /// <summary>
    /// Step 13's second block: the span and the LogRecord as the debug exporter (verbosity: detailed) prints them,
    /// abridged as the guide says (no resource, scope, timestamps or status), their attributes in the order exported,
    /// typed as exported, with the values of <paramref name="record"/> (Step 12's line) where it has the field.
    /// </summary>
    private static List<string> SpanAndLogRecord(int spanIndex, ReceivedSpan span, string parentId, int logIndex, ReceivedLog log, JsonObject record)
    {
        var (traceId, spanId) = ((string)record["trace_id"]!, (string)record["span_id"]!);
        return
        [
            $"Span #{spanIndex}",
            $"    Trace ID       : {traceId}",
            $"    Parent ID      : {parentId}",
            $"    ID             : {spanId}",
            SpanName(span.Name),
            "    Kind           : Internal", // ActivitySource.StartActivity's default
            "Attributes:",
            .. span.Attributes.Select(a => DebugExporterText.Attribute(a.Key, Shown(a.Value, record[a.Key == "record.id" ? "id" : a.Key]))),
            $"LogRecord #{logIndex}",
            $"SeverityText: {log.SeverityText}",
            $"SeverityNumber: {DebugExporterText.Severity(log.SeverityNumber)}",
            $"Body: Str({log.Body})",
            "Attributes:",
            .. log.Attributes.Select(a => DebugExporterText.Attribute(a.Key, Shown(a.Value, record[a.Key]))),
            $"Trace ID: {traceId}",
            $"Span ID: {spanId}",
        ];
    }

    /// <summary>The line's field, typed as the exported attribute is; the exported value where the line has no such field.</summary>
    private static object? Shown(object? exported, JsonNode? field) => field is not JsonValue value ? exported : exported switch
    {
        long => value.GetValue<long>(),
        double => value.GetValue<double>(),
        bool => value.GetValue<bool>(),
        _ => value.GetValue<string>(),
    };

    /// <summary>The blocks to paste: Step 12's lines, Step 13's span and LogRecord and histogram, Step 15's jq line.</summary>
    private static string NewBlocks(WorkerRun run, OtlpReceiver receiver, JsonObject record, ReceivedSpan span, ReceivedLog log)
    {
        var latencies = run.WithMessage(RecordMessage).Select(r => r.GetProperty("latency_ms").GetDouble()).ToList();
        var histogram = receiver.Metrics.Single(m => m.Name == "record_latency_ms").Points.Single();
        (histogram.Count, histogram.Sum, histogram.Min, histogram.Max).Should().Be(((ulong)latencies.Count, (double?)latencies.Sum(), (double?)latencies.Min(), (double?)latencies.Max()), "the histogram is the printed latencies");
        var completed = run.WithMessage("Batch job completed").Single();
        var text = new StringBuilder();
        text.AppendLine("Step 12:").AppendLine("```json").AppendJoin('\n', run.StdoutLines).AppendLine().AppendLine("```");
        text.AppendLine("Step 13:").AppendLine("```")
            .AppendJoin('\n', SpanAndLogRecord(receiver.Spans.ToList().IndexOf(span), span, span.ParentSpanId, receiver.Logs.ToList().IndexOf(log), log, record)).AppendLine().AppendLine("```");
        text.AppendLine("```").AppendJoin('\n', GuideNumbersTests.HistogramGrep(latencies)).AppendLine().AppendLine("```");
        text.AppendLine("Step 15:").AppendLine("```").Append(CultureInfo.InvariantCulture, $"{{\"trace_id\":\"{completed.GetProperty("trace_id").GetString()}\",\"total_cost_usd\":{JqNumber.Format(completed.GetProperty("summary").GetProperty("total_cost_usd").GetDouble())}}}").AppendLine().AppendLine("```");
        text.AppendLine(CultureInfo.InvariantCulture, $"runtime metrics: {receiver.Metrics.Select(m => m.Name).Where(n => n.StartsWith("dotnet.", StringComparison.Ordinal)).Distinct().Count()}");
        return text.ToString();
    }

    // The metric names Step 13's grep keeps ("-> Name: [a-z_]+$"): the lab's, not the runtime's dotted ones.
    [GeneratedRegex("^[a-z_]+$")]
    private static partial Regex LabMetric();
}
