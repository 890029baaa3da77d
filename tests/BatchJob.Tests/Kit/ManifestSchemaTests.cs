using BatchJob.Tests.Support;

namespace BatchJob.Tests.Kit;

/// <summary>
/// Every shipped manifest passes strict, offline validation against the Kubernetes API schema,
/// and the validator really rejects what the API server would (so a pass means something).
/// </summary>
public sealed class ManifestSchemaTests
{
    private static readonly Lazy<IReadOnlyList<ValidationResult>> Shipped = new(() => K8sValidator.Validate([.. Manifests.Files]));

    public static TheoryData<string> ManifestFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Manifests.Files)
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ManifestFiles))]
    public void Manifest_validates_strictly_against_the_Kubernetes_API_schema(string file)
    {
        var results = Shipped.Value.Where(r => Path.GetFileName(r.File) == file).ToList();
        results.Should().NotBeEmpty("every file holds at least one document");
        results.Should().OnlyContain(r => r.Valid, string.Join('\n', results));
    }

    [Fact]
    public void The_kit_ships_the_objects_setup_md_applies()
    {
        Shipped.Value.Select(r => $"{r.Kind}/{r.Name}").Should().BeEquivalentTo(
            "Namespace/ai-ml-lab-3-1-paid",
            "ConfigMap/otel-collector-config",
            "Deployment/otel-collector-paid",
            "Service/otel-collector-paid",
            "ConfigMap/batch-inference-config",
            "Job/batch-inference-paid-once",
            "CronJob/batch-inference-paid-scheduled",
            "Job/batch-inference-paid-parallel",
            "Kustomization/");
    }

    [Fact]
    public void Kustomization_lists_every_manifest_of_the_base_lab()
    {
        var kustomization = Yaml.Load(Repo.Read("k8s", "kustomization.yaml"));
        var listed = kustomization["resources"]!.AsArray().Select(r => (string)r!).ToList();
        // The Indexed Job is the optional scale-out exercise: applied on its own, never by `apply -k`.
        var shipped = Manifests.Files.Select(Path.GetFileName).Where(f => f is not "kustomization.yaml" and not "job-batch-parallel.yaml");
        listed.Should().BeEquivalentTo(shipped);
    }

    [Fact]
    public void Validator_rejects_unknown_fields_and_wrong_types()
    {
        var dir = Directory.CreateTempSubdirectory("k8s-validate-").FullName;
        var broken = Path.Combine(dir, "broken-job.yaml");
        File.WriteAllText(broken, """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: broken
            spec:
              backoffLimit: "two"
              template:
                spec:
                  restartPolicy: Sometimes
                  containers:
                    - name: c
                      image: busybox
                      resources:
                        limit:
                          cpu: 500m
            """);

        var result = K8sValidator.Validate(broken).Single();

        result.Valid.Should().BeFalse();
        result.Errors.Should().Contain(e => e.Contains("/spec/backoffLimit", StringComparison.Ordinal) && e.Contains("integer", StringComparison.Ordinal));
        result.Errors.Should().Contain(e => e.Contains("restartPolicy", StringComparison.Ordinal) && e.Contains("allowed values", StringComparison.Ordinal));
        result.Errors.Should().Contain(e => e.Contains("unknown field \"limit\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Validator_rejects_a_typo_in_the_shipped_Job()
    {
        // The real Job with one misspelt field deep in the pod template: a pass above is not a shrug.
        var text = Repo.Read("k8s", "job-batch-once.yaml").Replace("readOnlyRootFilesystem:", "readOnlyRootFileSystem:", StringComparison.Ordinal);
        var file = Path.Combine(Directory.CreateTempSubdirectory("k8s-validate-").FullName, "job-typo.yaml");
        File.WriteAllText(file, text);

        var result = K8sValidator.Validate(file).Single();

        result.Valid.Should().BeFalse();
        result.Errors.Should().ContainSingle().Which.Should().Contain("unknown field \"readOnlyRootFileSystem\"");
    }

    [Fact]
    public void Validator_rejects_duplicate_keys_and_unknown_kinds()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("k8s-validate-").FullName, "odd.yaml");
        File.WriteAllText(file, """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: twice
              name: again
            ---
            apiVersion: batch/v1
            kind: Jobb
            metadata:
              name: typo
            """);

        var results = K8sValidator.Validate(file);

        results.Should().HaveCount(2).And.OnlyContain(r => !r.Valid);
    }
}
