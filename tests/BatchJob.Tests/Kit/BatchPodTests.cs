using System.Text.Json.Nodes;
using BatchJob.Configuration;

namespace BatchJob.Tests.Kit;

/// <summary>The batch pod templates keep the contract: names, image, resources, security, failure handling.</summary>
public sealed class BatchPodTests
{
    public static TheoryData<string, string> BatchWorkloads() => new()
    {
        { "Job", Manifests.JobName },
        { "CronJob", Manifests.CronJobName },
    };

    [Theory]
    [MemberData(nameof(BatchWorkloads))]
    public void PodFailurePolicy_fails_the_job_on_exactly_the_exit_codes_a_retry_cannot_fix(string kind, string name)
    {
        var spec = Manifests.JobSpec(kind, name);
        var rules = spec["podFailurePolicy"]!["rules"]!.AsArray();

        // One rule per container: the batch's codes, and the codes --check exits with before it (it never spends, so no 4).
        var failJob = rules.Where(r => (string)r!["action"]! == "FailJob").ToDictionary(r => (string)r!["onExitCodes"]!["containerName"]!, r => r!["onExitCodes"]!);
        failJob.Keys.Should().BeEquivalentTo([Manifests.BatchContainer, Manifests.CheckContainer]);
        failJob.Values.Select(c => (string)c!["operator"]!).Should().AllBe("In");
        Codes(failJob[Manifests.BatchContainer]).Should().BeEquivalentTo([(int)ExitCode.InvalidConfiguration, (int)ExitCode.TooManyFailedRecords, (int)ExitCode.BudgetExceeded]);
        Codes(failJob[Manifests.CheckContainer]).Should().BeEquivalentTo([(int)ExitCode.InvalidConfiguration, (int)ExitCode.TooManyFailedRecords]);

        var ignore = rules.Where(r => (string)r!["action"]! == "Ignore").Should().ContainSingle().Subject!;
        ignore["onPodConditions"]!.AsArray().Select(c => (string)c!["type"]!).Should().Equal("DisruptionTarget");

        // podFailurePolicy is only allowed with restartPolicy Never.
        ((string)Manifests.PodTemplate(kind, name)["spec"]!["restartPolicy"]!).Should().Be("Never");
        Seconds(spec, "backoffLimit").Should().BePositive();
        Seconds(spec, "activeDeadlineSeconds").Should().BePositive();
        Seconds(spec, "ttlSecondsAfterFinished").Should().BePositive();
    }

    private static IEnumerable<int> Codes(JsonNode onExitCodes) =>
        onExitCodes["values"]!.AsArray().Select(v => int.Parse((string)v!, System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [MemberData(nameof(BatchWorkloads))]
    public void Batch_pod_matches_the_contract_and_the_restricted_pod_security_profile(string kind, string name)
    {
        var template = Manifests.PodTemplate(kind, name);
        var pod = template["spec"]!;
        var container = Manifests.Container(template, Manifests.BatchContainer);

        ((string)template["metadata"]!["labels"]!["app"]!).Should().Be("batch-inference-paid");
        ((string)container["image"]!).Should().Be(Manifests.BatchImage);
        ((string)container["imagePullPolicy"]!).Should().Be("IfNotPresent", "kind load puts the image on the node; it is in no registry");
        Text(container, "resources", "requests", "cpu").Should().Be("250m");
        Text(container, "resources", "requests", "memory").Should().Be("256Mi");
        Text(container, "resources", "limits", "cpu").Should().Be("500m");
        Text(container, "resources", "limits", "memory").Should().Be("512Mi");

        Text(pod, "automountServiceAccountToken").Should().Be("false");
        Text(pod, "securityContext", "runAsNonRoot").Should().Be("true");
        Text(pod, "securityContext", "runAsUser").Should().Be("1654", "the chiseled image's app user, as in the Dockerfile");
        Text(pod, "securityContext", "seccompProfile", "type").Should().Be("RuntimeDefault");
        Text(container, "securityContext", "allowPrivilegeEscalation").Should().Be("false");
        Text(container, "securityContext", "readOnlyRootFilesystem").Should().Be("true");
        container["securityContext"]!["capabilities"]!["drop"]!.AsArray().Select(c => (string)c!).Should().Equal("ALL");
        container["volumeMounts"]!.AsArray().Select(m => (string)m!["mountPath"]!).Should().Contain("/tmp");

        var grace = Seconds(pod, "terminationGracePeriodSeconds");
        var flushMs = int.Parse((string)Manifests.Find("ConfigMap", "batch-inference-config")["data"]![ConfigKeys.FlushTimeout]!, System.Globalization.CultureInfo.InvariantCulture);
        (grace * 1000).Should().BeGreaterThan(flushMs * 2, "SIGTERM must leave the worker time to flush before SIGKILL");
    }

    [Fact]
    public void CronJob_runs_the_same_pod_as_the_one_time_Job()
    {
        var job = Manifests.JobSpec("Job", Manifests.JobName);
        var cron = Manifests.JobSpec("CronJob", Manifests.CronJobName);
        JsonNode.DeepEquals(job, cron).Should().BeTrue("the CronJob's jobTemplate.spec is the Job's spec");
    }

    [Fact]
    public void CronJob_schedule_and_history_follow_the_guide()
    {
        var spec = Manifests.Find("CronJob", Manifests.CronJobName)["spec"]!;
        Text(spec, "schedule").Should().Be("*/10 * * * *");
        Text(spec, "concurrencyPolicy").Should().Be("Forbid");
        Seconds(spec, "startingDeadlineSeconds").Should().BePositive();
        Seconds(spec, "successfulJobsHistoryLimit").Should().BePositive();
        Seconds(spec, "failedJobsHistoryLimit").Should().BePositive();
    }

    [Fact]
    public void Batch_ConfigMap_holds_only_keys_the_worker_reads()
    {
        var data = Manifests.Find("ConfigMap", "batch-inference-config")["data"]!.AsObject();
        data.Select(d => d.Key).Should().OnlyContain(k => ConfigKeys.Configurable.Contains(k));
        data.Select(d => d.Key).Should().NotContain([ConfigKeys.CpuLimit, ConfigKeys.MemoryLimit, ConfigKeys.CpuRequest, ConfigKeys.MemoryRequest],
            "the cost inputs come from the container's own resources (downward API), never a second copy");
    }

    private static string? Text(JsonNode node, params string[] path) =>
        (string?)path.Aggregate((JsonNode?)node, (n, key) => n?[key]);

    private static int Seconds(JsonNode node, string key) =>
        int.Parse(Text(node, key) ?? throw new InvalidOperationException(key + " is not set"), System.Globalization.CultureInfo.InvariantCulture);
}
