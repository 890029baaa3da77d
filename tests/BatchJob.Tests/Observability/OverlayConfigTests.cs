using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BatchJob.Tests.Kit;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Observability;

/// <summary>
/// The overlay's collector, Prometheus and Grafana configs fit together: traces reach Jaeger's
/// OTLP port, metrics are scraped where the collector exposes them under the lab's own names, and
/// exemplars open traces in the Jaeger data source.
/// </summary>
public sealed partial class OverlayConfigTests
{
    private static readonly Lazy<JsonObject> Collector = new(() => Yaml.Load(File.ReadAllText(Overlay.GeneratedFile("otel-collector-config", "config.yaml"))));

    private static readonly Lazy<JsonObject> BaseCollector = new(() =>
        Yaml.Load((string)Manifests.Find("ConfigMap", "otel-collector-config")["data"]!["config.yaml"]!));

    private static JsonObject Section(string name) => Collector.Value[name]!.AsObject();

    [Fact]
    public void Collector_keeps_the_base_pipeline_and_adds_Jaeger_and_Prometheus_exporters()
    {
        foreach (var section in new[] { "receivers", "processors", "extensions" })
        {
            JsonNode.DeepEquals(Section(section), BaseCollector.Value[section]).Should().BeTrue($"{section} stay as in the base lab");
        }

        JsonNode.DeepEquals(Section("exporters")["debug"], BaseCollector.Value["exporters"]!["debug"]).Should().BeTrue("the debug exporter is kept");
        var pipelines = Section("service")["pipelines"]!.AsObject();
        pipelines.Select(p => p.Key).Should().BeEquivalentTo("traces", "metrics", "logs");
        foreach (var (name, pipeline) in pipelines)
        {
            JsonNode.DeepEquals(pipeline!["receivers"], BaseCollector.Value["service"]!["pipelines"]![name]!["receivers"]).Should().BeTrue(name);
            JsonNode.DeepEquals(pipeline["processors"], BaseCollector.Value["service"]!["pipelines"]![name]!["processors"]).Should().BeTrue(name);
            var exporters = pipeline["exporters"]!.AsArray().Select(e => (string)e!).ToList();
            exporters.Should().Contain("debug", name).And.OnlyContain(e => Section("exporters").ContainsKey(e), name);
        }

        Exporters("traces").Should().Equal("debug", "otlp");
        Exporters("metrics").Should().Equal("debug", "prometheus");
    }

    [Fact]
    public void Traces_go_to_Jaegers_OTLP_gRPC_port()
    {
        var otlp = Section("exporters")["otlp"]!;
        var (host, port) = Split((string)otlp["endpoint"]!);
        var jaeger = Overlay.Find("Service", host);
        jaeger["spec"]!["ports"]!.AsArray().Single(p => (string)p!["port"]! == port)!["name"]!.ToString().Should().Be("otlp-grpc");
        ((string)otlp["tls"]!["insecure"]!).Should().Be("true", "in-cluster plaintext, as the worker sends it");
        var jaegerConfig = Yaml.Load(File.ReadAllText(Overlay.GeneratedFile("jaeger-config", "config.yaml")));
        ((string)jaegerConfig["receivers"]!["otlp"]!["protocols"]!["grpc"]!["endpoint"]!).Should().Be("0.0.0.0:" + port);
        ((string)jaegerConfig["extensions"]!["jaeger_query"]!["http"]!["endpoint"]!).Should().Be("0.0.0.0:16686");
    }

    [Fact]
    public void Metrics_are_exposed_on_8889_with_the_lab_names_resource_labels_and_exemplars_and_scraped_there()
    {
        var prometheus = Section("exporters")["prometheus"]!;
        ((string)prometheus["endpoint"]!).Should().Be("0.0.0.0:8889");
        ((string)prometheus["add_metric_suffixes"]!).Should().Be("false", "Prometheus must see batch_total_records and record_latency_ms_bucket");
        ((string)prometheus["resource_to_telemetry_conversion"]!["enabled"]!).Should().Be("true");
        ((string)prometheus["enable_open_metrics"]!).Should().Be("true", "exemplars travel only in OpenMetrics");

        // add_metric_suffixes is ignored from collector 0.154.0 on (translation_strategy replaces it).
        var image = (string)Manifests.Find("Deployment", "otel-collector-paid")["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single()!["image"]!;
        int.Parse(CollectorMinor().Match(image).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeLessThan(154, "past 0.153 switch to translation_strategy: UnderscoreEscapingWithoutSuffixes");

        var patch = Yaml.LoadAll(File.ReadAllText(Overlay.File("collector", "expose-metrics.yaml")));
        var containerPort = patch.Single(d => Manifests.Kind(d) == "Deployment")["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single()!["ports"]!.AsArray().Single()!;
        ((string)containerPort["containerPort"]!).Should().Be("8889");
        var servicePort = patch.Single(d => Manifests.Kind(d) == "Service")["spec"]!["ports"]!.AsArray().Single()!;
        ((string)servicePort["port"]!).Should().Be("8889");
        ((string)servicePort["targetPort"]!).Should().Be((string)containerPort["name"]!);

        var scrape = Yaml.Load(File.ReadAllText(Overlay.GeneratedFile("prometheus-config", "prometheus.yml")))["scrape_configs"]!.AsArray()
            .Single(s => (string)s!["job_name"]! == "otel-collector")!;
        scrape["static_configs"]!.AsArray().Single()!["targets"]!.AsArray().Select(t => (string)t!)
            .Should().Equal($"{Manifests.Name(Manifests.Find("Service", "otel-collector-paid"))}:8889");
        ((string)scrape["honor_labels"]!).Should().Be("true", "the exporter's job and instance (one per run) are kept");
        Overlay.Find("Deployment", "prometheus")["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single()!["args"]!.AsArray()
            .Select(a => (string)a!).Should().Contain("--enable-feature=exemplar-storage");
    }

    [Fact]
    public void Grafana_provisions_both_data_sources_links_exemplars_to_Jaeger_and_loads_the_dashboard()
    {
        var sources = Yaml.Load(File.ReadAllText(Overlay.GeneratedFile("grafana-datasources", "datasources.yaml")))["datasources"]!.AsArray();
        var byType = sources.ToDictionary(s => (string)s!["type"]!, s => s!);
        byType.Keys.Should().BeEquivalentTo("prometheus", "jaeger");
        ((string)byType["prometheus"]["url"]!).Should().Be("http://prometheus:" + ServicePort("prometheus"));
        ((string)byType["jaeger"]["url"]!).Should().Be("http://jaeger:" + ServicePort("jaeger", "ui"));
        var destination = byType["prometheus"]["jsonData"]!["exemplarTraceIdDestinations"]!.AsArray().Single()!;
        ((string)destination["datasourceUid"]!).Should().Be((string)byType["jaeger"]["uid"]!);
        ((string)destination["name"]!).Should().Be("trace_id", "the label the collector's prometheus exporter gives an exemplar's trace id");

        var uids = sources.Select(s => (string)s!["uid"]!).ToList();
        var panels = Overlay.Dashboard["panels"]!.AsArray();
        panels.SelectMany(p => (p!["targets"] as JsonArray ?? []).Select(t => (string?)t!["datasource"]?["uid"]).Append((string?)p["datasource"]?["uid"]))
            .OfType<string>().Should().OnlyContain(u => uids.Contains(u));
        panels.SelectMany(p => p!["targets"] as JsonArray ?? []).Where(t => ((string)t!["expr"]!).Contains("record_latency_ms_bucket", StringComparison.Ordinal))
            .Should().NotBeEmpty().And.OnlyContain(t => t!["exemplar"]!.GetValue<bool>(), "latency panels show exemplars");

        var provider = Yaml.Load(File.ReadAllText(Overlay.GeneratedFile("grafana-dashboard-provider", "dashboards.yaml")))["providers"]!.AsArray().Single()!;
        var mounts = Overlay.Find("Deployment", "grafana")["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single()!["volumeMounts"]!.AsArray();
        ((string)provider["options"]!["path"]!).Should().Be((string)mounts.Single(m => (string)m!["name"]! == "dashboards")!["mountPath"]!);
    }

    [Fact]
    public void The_dashboard_has_the_panels_the_lab_asks_for()
    {
        var titles = Overlay.Dashboard["panels"]!.AsArray().Select(p => (string)p!["title"]!).ToList();
        titles.Should().Contain(t => t.StartsWith("Records/s", StringComparison.Ordinal))
            .And.Contain("Failed records")
            .And.Contain(t => t.Contains("p50 / p95 / p99", StringComparison.Ordinal))
            .And.Contain("Cost per record").And.Contain("Cost per run")
            .And.Contain(t => t.StartsWith("Cumulative cost", StringComparison.Ordinal))
            .And.Contain(t => t.StartsWith("Job outcomes", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void The_overlay_builds_with_kustomize_and_every_object_validates()
    {
        var kubectl = Tool.Find("kubectl");
        Skip.If(kubectl is null, "kubectl is not on the PATH: the overlay's build was not checked here (the files it builds from are)");

        var (exitCode, output) = Tool.Run(kubectl, Repo.Root, ["kustomize", "k8s/observability"], TimeSpan.FromMinutes(2));
        exitCode.Should().Be(0, output);
        var built = Path.Combine(Directory.CreateTempSubdirectory("overlay-build-").FullName, "overlay.yaml");
        File.WriteAllText(built, output);

        var results = K8sValidator.Validate(built);
        results.Should().OnlyContain(r => r.Valid, string.Join('\n', results.Where(r => !r.Valid)));
        results.Select(r => $"{r.Kind}/{r.Name}").Should().Contain(["Deployment/otel-collector-paid", "Job/batch-inference-paid-once", "Deployment/jaeger", "Role/kube-state-metrics"]);
        var collectorConfig = Yaml.LoadAll(output).Single(d => Manifests.Kind(d) == "ConfigMap" && Manifests.Name(d) == "otel-collector-config");
        ((string)collectorConfig["data"]!["config.yaml"]!).Should().Be(File.ReadAllText(Overlay.File("collector", "config.yaml")), "the overlay's collector config replaces the base's");

        var (baseExit, baseOutput) = Tool.Run(kubectl, Repo.Root, ["kustomize", "k8s"], TimeSpan.FromMinutes(2));
        baseExit.Should().Be(0, baseOutput);
        Yaml.LoadAll(baseOutput).Select(d => $"{Manifests.Kind(d)}/{Manifests.Name(d)}").Should().NotContain("Deployment/jaeger", "`kubectl apply -k k8s/` stays the base lab");
    }

    private static IEnumerable<string> Exporters(string pipeline) =>
        Section("service")["pipelines"]![pipeline]!["exporters"]!.AsArray().Select(e => (string)e!);

    private static (string Host, string Port) Split(string endpoint) => (endpoint[..endpoint.LastIndexOf(':')], endpoint[(endpoint.LastIndexOf(':') + 1)..]);

    private static string ServicePort(string service, string? name = null) =>
        (string)Overlay.Find("Service", service)["spec"]!["ports"]!.AsArray().Single(p => name is null || (string)p!["name"]! == name)!["port"]!;

    [GeneratedRegex(@":0\.([0-9]+)\.[0-9]+")]
    private static partial Regex CollectorMinor();
}
