using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BatchJob.Tests.Kit;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Observability;

/// <summary>
/// The overlay's pods: pinned images, the namespace's restricted Pod Security level, requests and
/// limits whose sums the kustomization states, least RBAC, and Services that reach their pods.
/// </summary>
public sealed partial class OverlayManifestTests
{
    [Fact]
    public void Overlay_builds_on_the_base_beside_it_and_adds_its_pods_in_the_lab_namespace()
    {
        var resources = Overlay.Kustomization["resources"]!.AsArray().Select(r => (string)r!).ToList();
        resources.Should().StartWith(["../base"]);
        Path.GetFullPath(Path.Combine(Overlay.Dir, "../base")).Should().Be(Path.GetFullPath(Repo.File("k8s", "base")));
        resources.Skip(1).Should().BeEquivalentTo(Directory.GetFiles(Overlay.Dir, "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml"));
        Overlay.Deployments.Select(Manifests.Name).Should().BeEquivalentTo("jaeger", "prometheus", "kube-state-metrics", "grafana");
        Overlay.Objects.Should().OnlyContain(o => (string?)o["metadata"]!["namespace"] == Manifests.Namespace);
        File.ReadAllText(Overlay.File("kustomization.yaml")).Should().Contain("cycle detected", "the comment says why the base is not the overlay's parent folder");
    }

    [Fact]
    public void Every_image_is_pinned_to_an_exact_version()
    {
        var images = Overlay.Deployments.SelectMany(d => Pod(d)["containers"]!.AsArray()).Select(c => (string)c!["image"]!).ToList();
        images.Should().OnlyContain(i => ExactVersion().IsMatch(i), string.Join(", ", images));
        images.Should().Contain(i => i.StartsWith("jaegertracing/jaeger:2.", StringComparison.Ordinal), "Jaeger v2, not the v1 all-in-one");
    }

    [Fact]
    public void Every_pod_meets_the_restricted_Pod_Security_level_and_sets_requests_and_limits()
    {
        foreach (var deployment in Overlay.Deployments)
        {
            var name = Manifests.Name(deployment);
            var pod = Pod(deployment);
            ((string?)pod["securityContext"]?["runAsNonRoot"]).Should().Be("true", name);
            int.Parse((string)pod["securityContext"]!["runAsUser"]!, CultureInfo.InvariantCulture).Should().BePositive(name);
            ((string?)pod["securityContext"]?["seccompProfile"]?["type"]).Should().Be("RuntimeDefault", name);
            pod.AsObject().Select(p => p.Key).Should().NotContain(["hostNetwork", "hostPID", "hostIPC"], name);
            (pod["volumes"] as JsonArray ?? []).Where(v => v!["configMap"] == null && v["emptyDir"] == null).Should().BeEmpty($"{name}: only ConfigMaps and emptyDirs");
            foreach (var container in pod["containers"]!.AsArray())
            {
                var security = container!["securityContext"]!;
                ((string?)security["allowPrivilegeEscalation"]).Should().Be("false", name);
                ((string?)security["readOnlyRootFilesystem"]).Should().Be("true", name);
                security["capabilities"]!["drop"]!.AsArray().Select(c => (string)c!).Should().Equal(["ALL"], name);
                security["capabilities"]!["add"].Should().BeNull(name);
                (container["ports"] as JsonArray ?? []).Where(p => p!["hostPort"] != null).Should().BeEmpty(name);
                foreach (var kind in new[] { "requests", "limits" })
                {
                    container["resources"]![kind]!["cpu"].Should().NotBeNull($"{name} {kind}");
                    container["resources"]![kind]!["memory"].Should().NotBeNull($"{name} {kind}");
                }
            }
        }
    }

    [Fact]
    public void The_kustomization_states_the_resource_sums_of_the_manifests()
    {
        var overlay = Overlay.Deployments.SelectMany(d => Pod(d)["containers"]!.AsArray()).Select(c => c!["resources"]!).ToList();
        var baseLab = new[]
        {
            Manifests.Find("Deployment", "otel-collector-paid")["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single()!["resources"]!,
            Manifests.Container(Manifests.PodTemplate("Job", Manifests.JobName), Manifests.BatchContainer)["resources"]!,
        };
        var text = File.ReadAllText(Overlay.File("kustomization.yaml"));
        var whole = $"requests: cpu {Cpu(baseLab.Concat(overlay), "requests")}m, memory {MemoryMi(baseLab.Concat(overlay), "requests")}Mi;  limits: cpu {Cpu(baseLab.Concat(overlay), "limits")}m, memory {MemoryMi(baseLab.Concat(overlay), "limits")}Mi";

        text.Should().Contain(whole);
        Repo.Read("docs", "observability.md").Should().Contain(whole, "the docs state the same sums");
        text.Should().Contain($"the overlay alone: requests cpu {Cpu(overlay, "requests")}m, memory {MemoryMi(overlay, "requests")}Mi; limits cpu {Cpu(overlay, "limits")}m, memory {MemoryMi(overlay, "limits")}Mi");
    }

    [Fact]
    public void Kube_state_metrics_may_only_list_and_watch_jobs_and_cronjobs_in_the_lab_namespace()
    {
        var role = Overlay.Find("Role", "kube-state-metrics");
        role["rules"]!.AsArray().Select(r => (
                string.Join(',', r!["apiGroups"]!.AsArray().Select(g => (string)g!)),
                string.Join(',', r["resources"]!.AsArray().Select(g => (string)g!)),
                string.Join(',', r["verbs"]!.AsArray().Select(g => (string)g!))))
            .Should().Equal(("batch", "jobs,cronjobs", "list,watch"));
        Overlay.Objects.Select(Manifests.Kind).Should().NotContain(["ClusterRole", "ClusterRoleBinding"]);

        var binding = Overlay.Find("RoleBinding", "kube-state-metrics");
        ((string)binding["roleRef"]!["kind"]!).Should().Be("Role");
        ((string)binding["roleRef"]!["name"]!).Should().Be(Manifests.Name(role));
        var pod = Pod(Overlay.Find("Deployment", "kube-state-metrics"));
        var account = (string)pod["serviceAccountName"]!;
        binding["subjects"]!.AsArray().Select(s => ((string)s!["kind"]!, (string)s["name"]!, (string)s["namespace"]!))
            .Should().Equal(("ServiceAccount", account, Manifests.Namespace));
        Overlay.Find("ServiceAccount", account).Should().NotBeNull();
        var args = pod["containers"]!.AsArray().Single()!["args"]!.AsArray().Select(a => (string)a!).ToList();
        args.Should().Contain("--resources=jobs,cronjobs").And.Contain("--namespaces=" + Manifests.Namespace);
        Overlay.Deployments.Where(d => d != Overlay.Find("Deployment", "kube-state-metrics"))
            .Should().OnlyContain(d => (string?)Pod(d)["automountServiceAccountToken"] == "false", "only kube-state-metrics talks to the API");
    }

    [Fact]
    public void Every_Service_selects_its_Deployment_and_targets_a_named_container_port()
    {
        foreach (var service in Overlay.Objects.Where(o => Manifests.Kind(o) == "Service"))
        {
            var deployment = Overlay.Find("Deployment", Manifests.Name(service));
            ((string)service["spec"]!["selector"]!["app"]!).Should().Be((string)Pod(deployment, metadata: true)["labels"]!["app"]!);
            var ports = Pod(deployment)["containers"]!.AsArray().SelectMany(c => c!["ports"]!.AsArray()).Select(p => (string)p!["name"]!).ToList();
            service["spec"]!["ports"]!.AsArray().Select(p => (string)p!["targetPort"]!).Should().OnlyContain(t => ports.Contains(t), Manifests.Name(service));
        }

        // The ports the guide port-forwards: Jaeger UI, Prometheus, Grafana.
        Port("jaeger", "ui").Should().Be("16686");
        Port("prometheus", "web").Should().Be("9090");
        Port("grafana", "http").Should().Be("3000");
        Port("jaeger", "otlp-grpc").Should().Be("4317");
        Port("jaeger", "otlp-http").Should().Be("4318");
    }

    [Fact]
    public void Every_generated_ConfigMap_is_mounted_by_its_pod()
    {
        var generated = Overlay.Kustomization["configMapGenerator"]!.AsArray().Select(g => (string)g!["name"]!).ToList();
        var mounted = Overlay.Deployments.SelectMany(d => Pod(d)["volumes"] as JsonArray ?? []).Select(v => (string?)v!["configMap"]?["name"]).OfType<string>()
            .Append("otel-collector-config") // mounted by the base's collector Deployment
            .ToList();
        generated.Should().BeEquivalentTo(mounted);
        foreach (var generator in Overlay.Kustomization["configMapGenerator"]!.AsArray())
        {
            foreach (var entry in generator!["files"]!.AsArray().Select(f => (string)f!))
            {
                File.Exists(Overlay.File(entry[(entry.IndexOf('=', StringComparison.Ordinal) + 1)..])).Should().BeTrue(entry);
            }
        }
    }

    private static string Port(string service, string name) =>
        (string)Overlay.Find("Service", service)["spec"]!["ports"]!.AsArray().Single(p => (string)p!["name"]! == name)!["port"]!;

    private static JsonNode Pod(JsonObject deployment, bool metadata = false) => deployment["spec"]!["template"]![metadata ? "metadata" : "spec"]!;

    private static long Cpu(IEnumerable<JsonNode> resources, string kind) => resources.Sum(r =>
    {
        var value = (string)r[kind]!["cpu"]!;
        return value.EndsWith('m') ? long.Parse(value[..^1], CultureInfo.InvariantCulture) : (long)(double.Parse(value, CultureInfo.InvariantCulture) * 1000);
    });

    private static long MemoryMi(IEnumerable<JsonNode> resources, string kind) => resources.Sum(r =>
    {
        var value = (string)r[kind]!["memory"]!;
        return value.EndsWith("Gi", StringComparison.Ordinal) ? long.Parse(value[..^2], CultureInfo.InvariantCulture) * 1024
            : value.EndsWith("Mi", StringComparison.Ordinal) ? long.Parse(value[..^2], CultureInfo.InvariantCulture)
            : throw new InvalidOperationException("memory in Mi or Gi expected, got " + value);
    });

    // repository:tag with a full version (v1.2.3 or 1.2.3), optionally @sha256 digest: never latest or a moving major.
    [GeneratedRegex(@"^[a-z0-9./-]+:v?[0-9]+\.[0-9]+\.[0-9]+(@sha256:[0-9a-f]{64})?$")]
    private static partial Regex ExactVersion();
}
