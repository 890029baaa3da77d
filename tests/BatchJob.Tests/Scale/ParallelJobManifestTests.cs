using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Scale;

/// <summary>
/// k8s/base/job-batch-parallel.yaml: an Indexed Job whose SHARD_COUNT matches its completions, and whose
/// pods, run as Kubernetes would run them (its args, each JOB_COMPLETION_INDEX), predict the bundled
/// sample exactly once between them, even when a shard gets no record at all.
/// </summary>
public sealed partial class ParallelJobManifestTests
{
    private static readonly string Manifest = Repo.Read("k8s", "base", "job-batch-parallel.yaml");

    [Fact]
    public void Is_an_indexed_job_with_per_index_retries_and_the_lab_pod_conventions()
    {
        Scalar("completionMode").Should().Be("Indexed");
        Scalar("backoffLimitPerIndex").Should().MatchRegex("^[0-9]+$");
        Scalar("restartPolicy").Should().Be("Never");
        Scalar("namespace").Should().Be("ai-ml-lab-3-1-paid");
        Scalar("image").Should().Be("ai-lab-3-1-paid:v1");
        Scalar("imagePullPolicy").Should().Be("IfNotPresent");
        Scalar("automountServiceAccountToken").Should().Be("false");
        Scalar("runAsNonRoot").Should().Be("true");
        Scalar("runAsUser").Should().Be("1654");
        Scalar("readOnlyRootFilesystem").Should().Be("true");
        Scalar("allowPrivilegeEscalation").Should().Be("false");
        Manifest.Should().Contain("app: batch-inference-paid").And.Contain("type: RuntimeDefault").And.Contain("- ALL");
        Manifest.Should().Contain("value: http://otel-collector-paid:4317");
        Regex.IsMatch(Manifest, @"requests:\s+cpu: 250m\s+memory: 256Mi\s+limits:\s+cpu: 500m\s+memory: 512Mi").Should().BeTrue();
    }

    [Fact]
    public void A_shard_with_bad_input_fails_its_index_and_a_shard_at_its_budget_fails_the_job()
    {
        Regex.IsMatch(Manifest, @"- action: FailIndex\s+onExitCodes:\s+containerName: batch-inference\s+operator: In\s+values: \[2, 3\]").Should().BeTrue();
        Regex.IsMatch(Manifest, $@"- action: FailJob\s+onExitCodes:\s+containerName: batch-inference\s+operator: In\s+values: \[{(int)ExitCode.BudgetExceeded}\]").Should().BeTrue();
        Regex.IsMatch(Manifest, @"- action: FailIndex\s+onExitCodes:\s+containerName: check\s+operator: In\s+values: \[2, 3\]").Should().BeTrue("the check init container fails its index before the batch starts");
        Manifest.Should().Contain("- --rejects=/data/results/$(K8S_JOB_NAME)-$(K8S_JOB_UID)-{shard}/rejects.jsonl");
    }

    [Fact]
    public void Shard_count_is_the_number_of_completions() =>
        ShardCount().Should().Be(int.Parse(Scalar("completions"), CultureInfo.InvariantCulture))
            .And.Be(int.Parse(Scalar("parallelism"), CultureInfo.InvariantCulture));

    [Fact]
    public async Task Its_pods_predict_the_sample_exactly_once_between_them()
    {
        var shards = ShardCount();
        // The Job's name and uid as the downward API gives them; /data is the data claim's folder.
        var output = BatchJob.Tests.Kit.PodEnvironment.Expand(OutputArg().Value, new Dictionary<string, string> { ["K8S_JOB_NAME"] = "indexed", ["K8S_JOB_UID"] = "uid" });
        output.Should().Contain("{shard}");
        var dir = Directory.CreateTempSubdirectory("batchjob-indexed-").FullName;
        var runs = await Task.WhenAll(Enumerable.Range(0, shards).Select(index => PublishedWorker.RunAsync(
            new Dictionary<string, string?>
            {
                ["SHARD_COUNT"] = shards.ToString(CultureInfo.InvariantCulture),
                ["JOB_COMPLETION_INDEX"] = index.ToString(CultureInfo.InvariantCulture),
                ["LOG_RECORDS"] = "false",
                ["ENABLE_TELEMETRY"] = "false",
            },
            [$"--output={output.Replace("/data/results/", dir + "/", StringComparison.Ordinal)}"])));

        var ids = new List<long>();
        for (var index = 0; index < shards; index++)
        {
            runs[index].ExitCode.Should().Be(0, runs[index].ToString());
            var lines = File.ReadAllLines(Path.Combine(dir, output.Replace("/data/results/", string.Empty, StringComparison.Ordinal).Replace("{shard}", index.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)));
            JsonDocument.Parse(lines[^1]).RootElement.GetProperty("summary").GetProperty("shard_index").GetInt32().Should().Be(index);
            ids.AddRange(lines[..^1].Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetInt64()));
        }

        ids.Order().Should().Equal(1, 2);
    }

    private static string Scalar(string key)
    {
        var match = Regex.Match(Manifest, $@"^\s*{key}: ""?([^""\s#]+)""?\s*$", RegexOptions.Multiline);
        match.Success.Should().BeTrue($"{key} is set in the manifest");
        return match.Groups[1].Value;
    }

    private static int ShardCount()
    {
        var match = ShardCountValue().Match(Manifest);
        match.Success.Should().BeTrue("SHARD_COUNT is set in the manifest");
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static Group OutputArg() => OutputValue().Match(Manifest).Groups[1];

    [GeneratedRegex(@"- name: SHARD_COUNT\s+value: ""([0-9]+)""")]
    private static partial Regex ShardCountValue();

    [GeneratedRegex(@"- --output=(\S+)")]
    private static partial Regex OutputValue();
}
