using System.Text.Json;
using System.Text.Json.Nodes;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Kit;

/// <summary>
/// Strict, offline validation of manifests against the Kubernetes v1.30 API schema (the kind node
/// image's version), in process: needs nothing beyond the test project's NuGet packages.
/// </summary>
/// <remarks>
/// Why a checked-in schema and not KubernetesClient's typed models: KubernetesClient 21.0.8 is
/// generated from a newer API (it accepts fields a v1.30 server rejects, such as the pod-level
/// <c>resources</c> of v1.32) and its models carry neither the required fields nor the enum values.
/// tests/k8s-schema/README.md says where the schema comes from and how it is regenerated.
/// </remarks>
public static class K8sValidator
{
    private static readonly Lazy<OpenApiSchema> Schema = new(() => OpenApiSchema.Load(SchemaFile));

    // kustomize's Kustomization fields (sigs.k8s.io/kustomize/api/types): not an API server kind.
    private static readonly HashSet<string> KustomizationKeys = new(StringComparer.Ordinal)
    {
        "apiVersion", "kind", "metadata", "resources", "components", "namespace", "namePrefix", "nameSuffix",
        "labels", "commonLabels", "commonAnnotations", "configMapGenerator", "secretGenerator",
        "generatorOptions", "patches", "images", "replicas", "replacements", "crds", "openapi",
        "buildMetadata", "sortOptions", "helmCharts", "transformers", "generators", "validators",
    };

    public static string SchemaFile => Repo.File("tests", "k8s-schema", "kubernetes-v1.30-subset.json");

    /// <summary>Validates the files; one result per non-empty YAML document.</summary>
    public static IReadOnlyList<ValidationResult> Validate(params string[] files)
    {
        var results = new List<ValidationResult>();
        foreach (var file in files)
        {
            var documents = TypedYaml.LoadAll(File.ReadAllText(file));
            for (var index = 0; index < documents.Count; index++)
            {
                var (root, readErrors) = documents[index];
                if (root is null && readErrors.Count == 0)
                {
                    continue; // an empty document, e.g. after a trailing ---
                }

                var kind = (string?)(root as JsonObject)?["kind"]?.AsValue();
                var name = (string?)(root as JsonObject)?["metadata"]?["name"]?.AsValue();
                var errors = readErrors.Count > 0 ? [.. readErrors] : Check(root, file).ToList();
                results.Add(new ValidationResult(file, index, kind, name, errors.Count == 0, errors));
            }
        }

        return results;
    }

    private static IEnumerable<string> Check(JsonNode? root, string file)
    {
        if (root is not JsonObject document)
        {
            return ["the document is not a YAML mapping"];
        }

        if (document["apiVersion"]?.GetValueKind() != JsonValueKind.String
            || document["kind"]?.GetValueKind() != JsonValueKind.String)
        {
            return ["apiVersion and kind are required strings"];
        }

        var apiVersion = (string)document["apiVersion"]!;
        var kind = (string)document["kind"]!;
        if (kind == "Kustomization")
        {
            return CheckKustomization(document, apiVersion, file);
        }

        return Schema.Value.Roots.TryGetValue(apiVersion + "/" + kind, out var definition)
            ? Schema.Value.Validate(document, definition)
            : [$"unknown apiVersion/kind {apiVersion}/{kind}: the schema has {string.Join(", ", Schema.Value.Roots.Keys)}"];
    }

    private static List<string> CheckKustomization(JsonObject document, string apiVersion, string file)
    {
        var errors = document.Select(p => p.Key).Where(k => !KustomizationKeys.Contains(k)).Select(k => $"unknown Kustomization field \"{k}\"").ToList();
        if (apiVersion != "kustomize.config.k8s.io/v1beta1")
        {
            errors.Add($"Kustomization apiVersion must be kustomize.config.k8s.io/v1beta1, not {apiVersion}");
        }

        foreach (var resource in document["resources"] as JsonArray ?? [])
        {
            if (resource?.GetValueKind() != JsonValueKind.String)
            {
                errors.Add($"resources: {resource?.ToJsonString() ?? "null"} is not a path");
            }
            else if (!Path.Exists(Path.Combine(Path.GetDirectoryName(file)!, (string)resource!)))
            {
                errors.Add($"resources: {resource} does not exist");
            }
        }

        // Files kustomize reads: a generator's "key=path" or "path" entries, and patch files.
        var generated = (document["configMapGenerator"] as JsonArray ?? []).SelectMany(g => g?["files"] as JsonArray ?? [])
            .Select(f => (string?)f?.AsValue()).OfType<string>().Select(f => f[(f.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        var patched = (document["patches"] as JsonArray ?? []).Select(p => (string?)p?["path"]?.AsValue()).OfType<string>();
        foreach (var path in generated.Concat(patched))
        {
            if (!File.Exists(Path.Combine(Path.GetDirectoryName(file)!, path)))
            {
                errors.Add($"{path} does not exist");
            }
        }

        return errors;
    }
}
