using System.Text.Json.Nodes;

namespace BatchJob.Tests.Kit;

/// <summary>
/// The collector config avoids what current collectors reject or mishandle (the original
/// guide's mistakes), and the Deployment and Service fit it.
/// </summary>
public sealed class CollectorConfigTests
{
    private static readonly Lazy<JsonObject> Config = new(() =>
        Yaml.Load((string)Manifests.Find("ConfigMap", "otel-collector-config")["data"]!["config.yaml"]!));

    private static JsonObject Section(string name) => Config.Value[name]!.AsObject();

    private static IEnumerable<(string Key, JsonNode? Value)> Walk(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Walk(p.Value).Prepend((p.Key, p.Value))),
        JsonArray a => a.SelectMany(Walk),
        _ => [],
    };

    /// <summary>The component type of an id such as <c>otlp</c> or <c>otlp/secondary</c>.</summary>
    private static string TypeOf(string id) => id.Split('/')[0];

    [Fact]
    public void No_removed_logging_exporter_or_loglevel()
    {
        Section("exporters").Select(e => TypeOf(e.Key)).Should().NotContain("logging");
        Walk(Config.Value).Select(p => p.Key).Should().NotContain("loglevel");
        Section("exporters").Select(e => TypeOf(e.Key)).Should().Contain("debug");
        ((string)Section("exporters")["debug"]!["verbosity"]!).Should().Be("detailed");
    }

    [Fact]
    public void Receivers_listen_on_all_interfaces_not_localhost()
    {
        var protocols = Section("receivers")["otlp"]!["protocols"]!.AsObject();
        protocols.Select(p => p.Key).Should().BeEquivalentTo("grpc", "http");
        // Recent collectors default an unset endpoint to localhost: it must be explicit.
        ((string)protocols["grpc"]!["endpoint"]!).Should().Be("0.0.0.0:4317");
        ((string)protocols["http"]!["endpoint"]!).Should().Be("0.0.0.0:4318");
        Walk(Config.Value).Where(p => p.Key == "endpoint").Select(p => (string)p.Value!)
            .Should().OnlyContain(e => !e.StartsWith("localhost", StringComparison.Ordinal) && !e.StartsWith("127.", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_pipeline_names_only_defined_components_with_memory_limiter_first()
    {
        var pipelines = Section("service")["pipelines"]!.AsObject();
        pipelines.Select(p => p.Key).Should().BeEquivalentTo("traces", "metrics", "logs");
        foreach (var (name, pipeline) in pipelines)
        {
            foreach (var part in new[] { "receivers", "processors", "exporters" })
            {
                var ids = pipeline![part]!.AsArray().Select(i => (string)i!).ToList();
                ids.Should().NotBeEmpty($"pipeline {name} needs {part}");
                ids.Should().OnlyContain(id => Section(part).ContainsKey(id), $"pipeline {name} may only name {part} defined above");
            }

            var processors = pipeline!["processors"]!.AsArray().Select(i => TypeOf((string)i!)).ToList();
            processors.Should().StartWith(["memory_limiter"], $"memory_limiter must come first in pipeline {name}");
            processors.Should().Contain("batch");
        }

        Section("service")["extensions"]!.AsArray().Select(e => (string)e!).Should().OnlyContain(e => Section("extensions").ContainsKey(e));
    }

    [Fact]
    public void Deployment_mounts_the_config_probes_the_health_check_and_the_Service_exposes_OTLP()
    {
        var deployment = Manifests.Find("Deployment", "otel-collector-paid");
        var pod = deployment["spec"]!["template"]!;
        var container = pod["spec"]!["containers"]!.AsArray().Single()!;

        ((string)container["image"]!).Should().MatchRegex(@"^otel/opentelemetry-collector-contrib:0\.\d{3}\.\d+(@sha256:[0-9a-f]{64})?$", "a pinned, recent contrib build");
        var volume = pod["spec"]!["volumes"]!.AsArray().Single(v => v!["configMap"] is not null)!;
        ((string)volume["configMap"]!["name"]!).Should().Be("otel-collector-config");
        var mount = container["volumeMounts"]!.AsArray().Single(m => (string)m!["name"]! == (string)volume["name"]!)!;
        container["args"]!.AsArray().Select(a => (string)a!).Should().Contain($"--config={(string)mount["mountPath"]!}/config.yaml");

        var healthPort = ((string)Section("extensions")["health_check"]!["endpoint"]!).Split(':')[1];
        var ports = container["ports"]!.AsArray().ToDictionary(p => (string)p!["name"]!, p => (string)p!["containerPort"]!);
        ports.Should().Contain("otlp-grpc", "4317").And.Contain("otlp-http", "4318").And.Contain("health", healthPort);
        ((string)container["readinessProbe"]!["httpGet"]!["port"]!).Should().Be("health");
        ((string)container["livenessProbe"]!["httpGet"]!["port"]!).Should().Be("health");
        container["resources"]!["limits"].Should().NotBeNull();
        ((string)pod["spec"]!["automountServiceAccountToken"]!).Should().Be("false");
        ((string)container["securityContext"]!["readOnlyRootFilesystem"]!).Should().Be("true");

        var service = Manifests.Find("Service", "otel-collector-paid");
        ((string)service["spec"]!["selector"]!["app"]!).Should().Be((string)pod["metadata"]!["labels"]!["app"]!).And.Be("otel-collector-paid");
        service["spec"]!["ports"]!.AsArray().Select(p => ((string)p!["port"]!, (string)p["targetPort"]!))
            .Should().BeEquivalentTo([("4317", "otlp-grpc"), ("4318", "otlp-http")]);
    }
}
