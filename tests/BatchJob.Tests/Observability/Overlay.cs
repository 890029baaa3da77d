using System.Text.Json.Nodes;
using BatchJob.Tests.Kit;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Observability;

/// <summary>The observability overlay under k8s/observability/, parsed: its manifests, generated files, rules and dashboard.</summary>
public static class Overlay
{
    private static readonly Lazy<IReadOnlyList<JsonObject>> Loaded = new(() =>
        Directory.GetFiles(Dir, "*.yaml").Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .SelectMany(f => Yaml.LoadAll(System.IO.File.ReadAllText(f))).ToList());

    public static string Dir => Repo.File("k8s", "observability");

    public static string File(params string[] parts) => Path.Combine([Dir, .. parts]);

    public static JsonObject Kustomization => Yaml.Load(System.IO.File.ReadAllText(File("kustomization.yaml")));

    /// <summary>The Kubernetes objects the overlay adds (its top-level manifests).</summary>
    public static IReadOnlyList<JsonObject> Objects => Loaded.Value;

    public static JsonObject Find(string kind, string name) =>
        Objects.SingleOrDefault(d => Manifests.Kind(d) == kind && Manifests.Name(d) == name)
        ?? throw new InvalidOperationException($"no {kind} {name} in k8s/observability/");

    public static IEnumerable<JsonObject> Deployments => Objects.Where(o => Manifests.Kind(o) == "Deployment");

    /// <summary>The source file of one key of a configMapGenerator entry ("key=path" or "path").</summary>
    public static string GeneratedFile(string configMap, string key)
    {
        var generator = Kustomization["configMapGenerator"]!.AsArray().Single(g => (string)g!["name"]! == configMap)!;
        var entry = generator["files"]!.AsArray().Select(f => (string)f!)
            .Single(f => (f.Contains('=', StringComparison.Ordinal) ? f[..f.IndexOf('=', StringComparison.Ordinal)] : Path.GetFileName(f)) == key);
        return Path.GetFullPath(File(entry[(entry.IndexOf('=', StringComparison.Ordinal) + 1)..]));
    }

    public static string RulesFile => File("prometheus", "alerts.yaml");

    public static string RulesTestFile => File("prometheus", "alerts.test.yaml");

    public static JsonObject Rules => Yaml.Load(System.IO.File.ReadAllText(RulesFile));

    public static IEnumerable<JsonObject> RuleEntries => Rules["groups"]!.AsArray().SelectMany(g => g!["rules"]!.AsArray()).Cast<JsonObject>();

    public static IEnumerable<JsonObject> Alerts => RuleEntries.Where(r => r["alert"] is not null);

    public static IEnumerable<string> RecordedNames => RuleEntries.Where(r => r["record"] is not null).Select(r => (string)r["record"]!);

    public static JsonObject Dashboard => JsonNode.Parse(System.IO.File.ReadAllText(File("grafana", "batch-dashboard.json")))!.AsObject();

    /// <summary>Every PromQL expression of the dashboard, with the panel and query it belongs to.</summary>
    public static IEnumerable<(string Where, string Expr)> DashboardExpressions =>
        Dashboard["panels"]!.AsArray()
            .SelectMany(p => (p!["targets"] as JsonArray ?? []).Select(t => ($"panel {(string?)p["title"]} query {(string?)t!["refId"]}", (string)t["expr"]!)));
}
