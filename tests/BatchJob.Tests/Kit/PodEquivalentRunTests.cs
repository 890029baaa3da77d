using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Kit;

/// <summary>
/// The published worker run as its pod would run it: exactly the environment the manifest
/// gives (ConfigMap via envFrom, env entries, downward API values, $(VAR) expansion) and the
/// manifest's args, with the pod's volumes mapped to temporary folders. Only the collector
/// endpoint is redirected (to a closed local port) and the flush bound shortened.
/// </summary>
public sealed partial class PodEquivalentRunTests
{
    public static TheoryData<string, string> BatchWorkloads() => new()
    {
        { "Job", Manifests.JobName },
        { "CronJob", Manifests.CronJobName },
    };

    [Theory]
    [MemberData(nameof(BatchWorkloads))]
    public async Task Worker_run_with_the_pod_environment_succeeds_and_prices_the_manifest_limits(string kind, string name)
    {
        var template = Manifests.PodTemplate(kind, name);
        var container = Manifests.Container(template, Manifests.BatchContainer);
        var jobName = kind == "Job" ? name : name + "-29000000";
        var env = PodEnvironment.Build(template, Manifests.BatchContainer, jobName + "-x7k2p", jobName, Manifests.Namespace);

        // What the pod gets, before the test redirects anything.
        env["OTEL_EXPORTER_OTLP_ENDPOINT"].Should().Be("http://otel-collector-paid:4317");
        env["CPU_LIMIT"].Should().Be("500m");
        env["CPU_REQUEST"].Should().Be("250m");
        env["MEMORY_LIMIT"].Should().Be("512Mi");
        env["MEMORY_REQUEST"].Should().Be("256Mi");
        env["OTEL_RESOURCE_ATTRIBUTES"].Should().Be($"k8s.pod.name={jobName}-x7k2p,k8s.namespace.name={Manifests.Namespace},k8s.job.name={jobName}");

        // Nothing listens on port 9: the export fails at once, as with no collector.
        var (args, run, volumes) = PodVolumes.Map(template, container, env);
        run["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9";
        run["TELEMETRY_FLUSH_TIMEOUT_MS"] = "500";

        // The init container first, as the kubelet runs it: the same env and volumes, --check, nothing written.
        var checkContainer = Manifests.Container(template, Manifests.CheckContainer);
        checkContainer["args"]!.AsArray().Select(a => (string)a!).Should().Equal(["--check", .. container["args"]!.AsArray().Select(a => (string)a!)]);
        checkContainer["env"]!.ToJsonString().Should().Be(container["env"]!.ToJsonString(), "the check sees what the batch will see");
        checkContainer["volumeMounts"]!.ToJsonString().Should().Be(container["volumeMounts"]!.ToJsonString());
        var check = await PublishedWorker.RunAsync(run, ["--check", .. args]);
        check.ExitCode.Should().Be(0, check.ToString());
        check.WithMessage("Input checked").Should().ContainSingle();
        Directory.EnumerateFileSystemEntries(Path.Combine(volumes["/data"], "results")).Should().BeEmpty("--check writes nothing");

        var result = await PublishedWorker.RunAsync(run, args);

        result.ExitCode.Should().Be(0, result.ToString());
        var start = result.WithMessage("Starting batch inference job").Single();
        start.GetProperty("app_env").GetString().Should().Be((string)Manifests.Find("ConfigMap", "batch-inference-config")["data"]!["APP_ENV"]!, "envFrom reached the worker");
        start.GetProperty("cpu_limit_cores").GetDouble().Should().Be(CoresOf(container["resources"]!["limits"]!["cpu"]!)).And.Be(0.5);
        start.GetProperty("memory_limit_mb").GetDouble().Should().Be(512.0);
        result.StdoutLines.Single(l => l.Contains("\"Starting batch inference job\"", StringComparison.Ordinal))
            .Should().Contain("\"cpu_limit_cores\":0.5").And.Contain("\"memory_limit_mb\":512.0");
        result.WithMessage("Initializing OpenTelemetry").Single().GetProperty("service").GetString().Should().Be("batch-inference-service");

        var records = result.WithMessage("Record processed").ToList();
        records.Select(r => r.GetProperty("id").GetInt64()).Should().Equal(1, 2);
        result.StdoutLines.Where(l => l.Contains("\"Record processed\"", StringComparison.Ordinal))
            .Select(l => PredictionText().Match(l).Groups[1].Value).Should().Equal("6.0", "15.0");
        foreach (var record in records)
        {
            // The guide's formula with the manifest's limits: 0.5 cores and 512Mi = 0.5 GiB.
            var seconds = record.GetProperty("latency_ms").GetDouble() / 1000;
            var expected = ((0.5 * 0.04) + (0.5 * 0.005)) * seconds / 3600;
            record.GetProperty("cost_usd").GetDouble().Should().BeApproximately(expected, expected * 1e-9);
        }

        result.Summary.GetProperty("successful").GetInt64().Should().Be(2);
        result.Summary.GetProperty("avg_prediction").GetDouble().Should().Be(10.5);
        result.WithMessage("Telemetry not fully delivered").Should().ContainSingle();

        // No input in the data folder: the sample in the image (INPUT_FALLBACK); results in this run's own folder on the data volume.
        start.GetProperty("input").GetString().Should().EndWith("/data/input.jsonl");
        var predictions = File.ReadAllLines(Path.Combine(volumes["/data"], "results", $"{jobName}-{PodEnvironment.JobUid}-0", "predictions.jsonl"));
        Directory.EnumerateFiles(Path.Combine(volumes["/data"], "results", $"{jobName}-{PodEnvironment.JobUid}-0")).Select(Path.GetFileName)
            .Should().BeEquivalentTo(["predictions.jsonl", "rejects.jsonl"], "RESUME leaves no checkpoint once the run is done");
        predictions.Take(2).Should().Equal("{\"id\": 1, \"prediction\": 6.0}", "{\"id\": 2, \"prediction\": 15.0}");
    }

    [Fact]
    public async Task The_guides_bad_input_run_exits_with_a_code_the_podFailurePolicy_fails_the_job_on()
    {
        // setup.md's "When a job fails" rewrites the CronJob's args with sed 's|FROM|TO|'.
        var sed = BadInputSed().Match(SetupGuide.Text);
        sed.Success.Should().BeTrue("setup.md shows the bad-input run");
        var template = Manifests.PodTemplate("CronJob", Manifests.CronJobName);
        var container = Manifests.Container(template, Manifests.BatchContainer);
        var args = container["args"]!.AsArray().Select(a => (string)a!).ToList();
        args.Should().Contain(sed.Groups[1].Value, "the sed expression must match the manifest's args");
        var env = PodEnvironment.Build(template, Manifests.CheckContainer, "bad-input-q8w4z", "bad-input", Manifests.Namespace);
        // The sed edits every container: the init container's --check fails first, and the pod never reaches the batch.
        var check = Manifests.Container(template, Manifests.CheckContainer);
        (var checkArgs, var run, _) = PodVolumes.Map(template, check, env, a => a.Replace(sed.Groups[1].Value, sed.Groups[2].Value, StringComparison.Ordinal));
        checkArgs.Should().Contain("--check");
        run["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9";
        run["TELEMETRY_FLUSH_TIMEOUT_MS"] = "500";

        var result = await PublishedWorker.RunAsync(run, checkArgs);

        result.ExitCode.Should().Be((int)ExitCode.InvalidConfiguration, result.ToString());
        var failJobCodes = Manifests.JobSpec("CronJob", Manifests.CronJobName)["podFailurePolicy"]!["rules"]!.AsArray()
            .Where(r => (string)r!["action"]! == "FailJob" && (string?)r["onExitCodes"]?["containerName"] == Manifests.CheckContainer)
            .SelectMany(r => r!["onExitCodes"]!["values"]!.AsArray().Select(v => (string)v!));
        failJobCodes.Should().Contain(result.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var error = result.WithMessage("Invalid configuration").Single().GetProperty("errors")[0].GetString();
        SetupGuide.Text.Should().Contain(error!, "setup.md shows the error line this run prints");
    }

    private static double CoresOf(JsonNode quantity) =>
        BatchJob.Configuration.Quantity.TryParse((string)quantity!, out var cores) ? (double)cores : double.NaN;

    [GeneratedRegex(@"sed 's\|([^|]+)\|([^|]+)\|'")]
    private static partial Regex BadInputSed();

    [GeneratedRegex("\"prediction\":([0-9.eE+-]+)")]
    private static partial Regex PredictionText();
}
