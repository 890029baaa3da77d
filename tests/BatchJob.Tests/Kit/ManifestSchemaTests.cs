using BatchJob.Tests.Support;

namespace BatchJob.Tests.Kit;

/// <summary>
/// Every shipped manifest passes strict, offline validation against the Kubernetes API schema,
/// and the validator really rejects what the API server would (so a pass means something).
/// </summary>
public sealed class ManifestSchemaTests
{
    private static readonly Lazy<IReadOnlyList<ValidationResult>> Shipped = new(() => K8sValidator.Validate([.. Manifests.AllFiles]));

    public static TheoryData<string> ManifestFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Manifests.AllFiles)
        {
            data.Add(Manifests.Relative(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ManifestFiles))]
    public void Manifest_validates_strictly_against_the_Kubernetes_API_schema(string file)
    {
        var results = Shipped.Value.Where(r => Manifests.Relative(r.File) == file).ToList();
        results.Should().NotBeEmpty("every file holds at least one document");
        results.Should().OnlyContain(r => r.Valid, string.Join('\n', results));
    }

    [Fact]
    public void The_kit_ships_the_objects_setup_md_applies()
    {
        Shipped.Value.Where(r => !Manifests.Relative(r.File).StartsWith("observability/", StringComparison.Ordinal)).Select(r => $"{r.Kind}/{r.Name}").Should().BeEquivalentTo(
            "Namespace/ai-ml-lab-3-1-paid",
            "ConfigMap/otel-collector-config",
            "Deployment/otel-collector-paid",
            "Service/otel-collector-paid",
            "ConfigMap/batch-inference-config",
            "Job/batch-inference-paid-once",
            "CronJob/batch-inference-paid-scheduled",
            "Job/batch-inference-paid-parallel",
            "PersistentVolume/ai-ml-lab-3-1-paid-data",
            "PersistentVolumeClaim/batch-data",
            "Kustomization/",
            "Kustomization/");
    }

    [Fact]
    public void Root_kustomization_is_only_the_base_so_apply_k_k8s_applies_the_lab_without_the_overlay()
    {
        Yaml.Load(Repo.Read("k8s", "kustomization.yaml"))["resources"]!.AsArray().Select(r => (string)r!).Should().Equal("base");
    }

    [Fact]
    public void Kustomization_lists_every_manifest_of_the_base_lab()
    {
        var kustomization = Yaml.Load(Repo.Read("k8s", "base", "kustomization.yaml"));
        var listed = kustomization["resources"]!.AsArray().Select(r => (string)r!).ToList();
        // The Indexed Job is the optional scale-out exercise: applied on its own, never by `apply -k`.
        var shipped = Manifests.Files.Select(Path.GetFileName).Where(f => f is not "kustomization.yaml" and not "job-batch-parallel.yaml");
        listed.Should().BeEquivalentTo(shipped);
    }

    [Fact]
    public void Validator_rejects_a_kustomization_naming_files_that_do_not_exist()
    {
        var result = ValidateOne("""
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources:
              - missing.yaml
            patches:
              - path: patches/missing-patch.yaml
            configMapGenerator:
              - name: rules
                files:
                  - alerts.yaml=prometheus/missing-alerts.yaml
            """);

        result.Errors.Should().BeEquivalentTo(
            "resources: missing.yaml does not exist",
            "patches/missing-patch.yaml does not exist",
            "prometheus/missing-alerts.yaml does not exist");
    }

    [Fact]
    public void Validator_rejects_unknown_fields_and_wrong_types()
    {
        var result = ValidateOne("""
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

        result.Valid.Should().BeFalse();
        result.Errors.Should().Contain(e => e.Contains("/spec/backoffLimit", StringComparison.Ordinal) && e.Contains("integer", StringComparison.Ordinal));
        result.Errors.Should().Contain(e => e.Contains("restartPolicy", StringComparison.Ordinal) && e.Contains("allowed values", StringComparison.Ordinal));
        result.Errors.Should().Contain(e => e.Contains("unknown field \"limit\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Validator_rejects_a_typo_in_the_shipped_Job()
    {
        // The real Job with one misspelt field deep in the pod template: a pass above is not a shrug.
        var shipped = Repo.Read("k8s", "base", "job-batch-once.yaml");
        var field = shipped.LastIndexOf("readOnlyRootFilesystem:", StringComparison.Ordinal);
        var text = string.Concat(shipped.AsSpan(0, field), "readOnlyRootFileSystem:", shipped.AsSpan(field + "readOnlyRootFilesystem:".Length));

        var result = ValidateOne(text);

        result.Valid.Should().BeFalse();
        result.Errors.Should().ContainSingle().Which.Should().Contain("/spec/template/spec/containers/0/securityContext: unknown field \"readOnlyRootFileSystem\"");
    }

    [Fact]
    public void Validator_rejects_duplicate_keys_and_unknown_kinds()
    {
        var results = ValidateText("""
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

        results.Should().HaveCount(2).And.OnlyContain(r => !r.Valid);
        results[0].Errors.Should().ContainSingle().Which.Should().Contain("duplicate key \"name\"");
        results[1].Errors.Should().ContainSingle().Which.Should().Contain("unknown apiVersion/kind batch/v1/Jobb");
    }

    [Fact]
    public void Validator_rejects_unknown_fields_at_any_depth_of_a_CronJob()
    {
        // Misplaced or misspelt keys where they are easy to miss: the CronJob's pod template, an env
        // entry, a volume source, a container port, and a Job field one level too high.
        var result = ValidateOne("""
            apiVersion: batch/v1
            kind: CronJob
            metadata:
              name: nested
            spec:
              schedule: "*/5 * * * *"
              backoffLimit: 2
              jobTemplate:
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                        - name: c
                          image: busybox
                          env:
                            - name: A
                              value: "1"
                              valueForm: oops
                          ports:
                            - containerPort: 8080
                              protocoll: TCP
                      volumes:
                        - name: config
                          configMap:
                            name: settings
                            item: []
            """);

        result.Errors.Should().BeEquivalentTo(
            "/spec: unknown field \"backoffLimit\"",
            "/spec/jobTemplate/spec/template/spec/containers/0/env/0: unknown field \"valueForm\"",
            "/spec/jobTemplate/spec/template/spec/containers/0/ports/0: unknown field \"protocoll\"",
            "/spec/jobTemplate/spec/template/spec/volumes/0/configMap: unknown field \"item\"");
    }

    [Fact]
    public void Validator_rejects_values_of_the_wrong_type_as_YAML_reads_them()
    {
        // YAML decides the type: an unquoted 8080 or true is a number or a boolean, and an env value
        // must be a string; yes/no/on/off are booleans (YAML 1.1, as Kubernetes reads it).
        var result = ValidateOne("""
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: types
            spec:
              suspend: yes
              parallelism: 1.5
              template:
                spec:
                  restartPolicy: Never
                  containers:
                    - name: c
                      image: busybox
                      args: [--port, 8080]
                      env:
                        - name: PORT
                          value: 8080
                        - name: DEBUG
                          value: true
                        - name: QUOTED
                          value: "true"
            """);

        result.Errors.Should().BeEquivalentTo(
            "/spec/parallelism: must be an integer, got number 1.5",
            "/spec/template/spec/containers/0/args/1: must be a string, got number 8080",
            "/spec/template/spec/containers/0/env/0/value: must be a string, got number 8080",
            "/spec/template/spec/containers/0/env/1/value: must be a string, got boolean true");
    }

    [Fact]
    public void Validator_rejects_missing_required_fields()
    {
        var results = ValidateText("""
            apiVersion: batch/v1
            kind: CronJob
            metadata:
              name: no-schedule
            spec:
              jobTemplate:
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                        - image: busybox
                          env:
                            - value: "1"
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: no-selector
            spec:
              template:
                spec:
                  containers: []
            """);

        results[0].Errors.Should().BeEquivalentTo(
            "/spec: missing required field \"schedule\"",
            "/spec/jobTemplate/spec/template/spec/containers/0: missing required field \"name\"",
            "/spec/jobTemplate/spec/template/spec/containers/0/env/0: missing required field \"name\"");
        results[1].Errors.Should().BeEquivalentTo("/spec: missing required field \"selector\"");
    }

    [Fact]
    public void Validator_rejects_values_outside_an_enum()
    {
        var results = ValidateText("""
            apiVersion: batch/v1
            kind: CronJob
            metadata:
              name: enums
            spec:
              schedule: "0 * * * *"
              concurrencyPolicy: Never
              jobTemplate:
                spec:
                  podFailurePolicy:
                    rules:
                      - action: Retry
                        onExitCodes:
                          operator: Equals
                          values: [1]
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                        - name: c
                          image: busybox
                          imagePullPolicy: ifNotPresent
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: enums
            spec:
              type: Internal
              ports:
                - port: 4317
                  protocol: tcp
            """);

        results[0].Errors.Should().BeEquivalentTo(
            "/spec/concurrencyPolicy: string \"Never\" is not one of the allowed values: \"Allow\", \"Forbid\", \"Replace\"",
            "/spec/jobTemplate/spec/podFailurePolicy/rules/0/action: string \"Retry\" is not one of the allowed values: \"Count\", \"FailIndex\", \"FailJob\", \"Ignore\"",
            "/spec/jobTemplate/spec/podFailurePolicy/rules/0/onExitCodes/operator: string \"Equals\" is not one of the allowed values: \"In\", \"NotIn\"",
            "/spec/jobTemplate/spec/template/spec/containers/0/imagePullPolicy: string \"ifNotPresent\" is not one of the allowed values: \"Always\", \"IfNotPresent\", \"Never\"");
        results[1].Errors.Should().BeEquivalentTo(
            "/spec/type: string \"Internal\" is not one of the allowed values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"",
            "/spec/ports/0/protocol: string \"tcp\" is not one of the allowed values: \"SCTP\", \"TCP\", \"UDP\"");
    }

    [Fact]
    public void Validator_checks_quantities_and_int_or_string_values()
    {
        // Each bad value sits next to good ones of the same field, so only the format is judged.
        var results = ValidateText("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: formats
            spec:
              selector:
                matchLabels: {app: x}
              strategy:
                rollingUpdate:
                  maxSurge: 25%
                  maxUnavailable: [1]
              template:
                spec:
                  containers:
                    - name: c
                      image: busybox
                      resources:
                        requests: {cpu: 0.5, memory: 256Mi, ephemeral-storage: 1e9}
                        limits: {cpu: half, memory: 256MB}
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: formats
            spec:
              ports:
                - {port: 4317, targetPort: otlp-grpc}
                - {port: 4318, targetPort: 4318}
                - {port: 8888, targetPort: true}
            """);

        results[0].Errors.Should().BeEquivalentTo(
            "/spec/strategy/rollingUpdate/maxUnavailable: must be an integer or a string, got a list",
            "/spec/template/spec/containers/0/resources/limits/cpu: string \"half\" is not a quantity: quantities must match the regular expression '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$'",
            "/spec/template/spec/containers/0/resources/limits/memory: string \"256MB\" is not a quantity: quantities must match the regular expression '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$'");
        results[1].Errors.Should().BeEquivalentTo("/spec/ports/2/targetPort: must be an integer or a string, got boolean true");
    }

    [Fact]
    public void Validator_knows_the_v1_30_API_not_a_newer_one()
    {
        // Pod-level resources arrived in v1.32: a v1.30 API server (the kind node image) rejects
        // them, so the validator must too. managedBy arrived in v1.30, so it passes.
        var result = ValidateOne("""
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: versions
            spec:
              managedBy: kubernetes.io/job-controller
              template:
                spec:
                  restartPolicy: Never
                  resources:
                    limits: {cpu: 500m}
                  containers:
                    - name: c
                      image: busybox
            """);

        result.Errors.Should().BeEquivalentTo("/spec/template/spec: unknown field \"resources\"");
    }

    private static ValidationResult ValidateOne(string yaml) => ValidateText(yaml).Single();

    private static IReadOnlyList<ValidationResult> ValidateText(string yaml)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("k8s-validate-").FullName, "manifest.yaml");
        File.WriteAllText(file, yaml);
        return K8sValidator.Validate(file);
    }
}
