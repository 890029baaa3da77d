using System.Text.Json.Nodes;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Kit;

/// <summary>The base lab the kit ships under k8s/base/, parsed: every document with the file it came from.</summary>
public static class Manifests
{
    public const string Namespace = "ai-ml-lab-3-1-paid";
    public const string JobName = "batch-inference-paid-once";
    public const string CronJobName = "batch-inference-paid-scheduled";
    public const string BatchContainer = "batch-inference";
    public const string BatchImage = "ai-lab-3-1-paid:v1";

    private static readonly Lazy<IReadOnlyList<(string File, JsonObject Document)>> Loaded = new(() =>
        Files.SelectMany(f => Yaml.LoadAll(File.ReadAllText(f)).Select(d => (Path.GetFileName(f), d))).ToList());

    /// <summary>Absolute paths of every k8s/base/*.yaml file: the base lab.</summary>
    public static IReadOnlyList<string> Files =>
        Directory.GetFiles(Repo.File("k8s", "base"), "*.yaml").Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Every Kubernetes manifest the kit ships: the root kustomization, the base lab and the top level of
    /// the observability overlay (its subfolders hold Prometheus, Grafana and collector files, not manifests).
    /// </summary>
    public static IReadOnlyList<string> AllFiles =>
        [Repo.File("k8s", "kustomization.yaml"), .. Files, .. Directory.GetFiles(Repo.File("k8s", "observability"), "*.yaml").Order(StringComparer.Ordinal)];

    /// <summary>A shipped file's path relative to k8s/, as tests name it.</summary>
    public static string Relative(string file) => Path.GetRelativePath(Repo.File("k8s"), file).Replace('\\', '/');

    public static IReadOnlyList<(string File, JsonObject Document)> All => Loaded.Value;

    /// <summary>The Kubernetes objects (everything but the Kustomization).</summary>
    public static IEnumerable<JsonObject> Objects => All.Select(a => a.Document).Where(d => Kind(d) != "Kustomization");

    public static string Kind(JsonNode document) => (string)document["kind"]!;

    public static string Name(JsonNode document) => (string)document["metadata"]!["name"]!;

    public static JsonObject Find(string kind, string name) =>
        Objects.SingleOrDefault(d => Kind(d) == kind && Name(d) == name)
        ?? throw new InvalidOperationException($"no {kind} {name} in k8s/base/");

    /// <summary>The batch pod template of the Job or of the CronJob's jobTemplate.</summary>
    public static JsonObject PodTemplate(string kind, string name)
    {
        var spec = Find(kind, name)["spec"]!;
        return (JsonObject)(kind == "CronJob" ? spec["jobTemplate"]!["spec"]!["template"]! : spec["template"]!);
    }

    /// <summary>The Job spec of the Job, or the CronJob's jobTemplate.spec.</summary>
    public static JsonObject JobSpec(string kind, string name)
    {
        var spec = Find(kind, name)["spec"]!;
        return (JsonObject)(kind == "CronJob" ? spec["jobTemplate"]!["spec"]! : spec);
    }

    /// <summary>The init container that runs <c>--check</c> before the batch.</summary>
    public const string CheckContainer = "check";

    /// <summary>A container or init container of the pod template, by name.</summary>
    public static JsonObject Container(JsonObject podTemplate, string name) =>
        (JsonObject)(podTemplate["spec"]!["containers"]!.AsArray())
            .Concat(podTemplate["spec"]!["initContainers"]?.AsArray() ?? [])
            .Single(c => (string)c!["name"]! == name)!;
}
