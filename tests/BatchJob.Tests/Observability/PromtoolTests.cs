using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace BatchJob.Tests.Observability;

/// <summary>
/// The overlay's Prometheus config, its alert rules and the dashboard's queries, checked by
/// promtool itself; the rule unit tests (prometheus/alerts.test.yaml) run, and fail when a rule
/// breaks. Skipped, and reported as skipped, where promtool is not installed.
/// </summary>
public sealed class PromtoolTests
{
    /// <summary>Realistic breaks, one or more per alert: each must make alerts.test.yaml fail.</summary>
    public static TheoryData<string, string, string> Breaks() => new()
    {
        { "BatchCostPerRecordHigh", "(cost_per_record_usd) > on()", "(cost_per_record_usd) >= on()" },
        { "BatchCostPerRecordHigh", "vector(0.0001)", "vector(0.001)" },
        { "BatchJobFailed", "kube_job_failed{job=\"kube-state-metrics\", namespace=\"ai-ml-lab-3-1-paid\"} > 0", "kube_job_failed{job=\"kube-state-metrics\"} > 0" },
        { "BatchJobFailed", "kube_job_failed{", "kube_job_status_failed{" },
        { "BatchRecordLatencyAnomaly", "\n          and on() batch:record_latency_ms:p95_5m > on() group_left() batch:record_latency_floor_ms", "" },
        { "BatchRecordLatencyAnomaly", "batch:record_latency_ms:p95_5m > on() group_left() (batch:record_latency_anomaly_factor * on() batch:record_latency_ms:p95_5m:avg_1h)\n          and on() ", "" },
        { "BatchDailyCostOverBudget", "max_over_time(batch_cost_usd[24h])", "max_over_time(batch_cost_usd[1h])" },
        { "BatchDailyCostOverBudget", "max_over_time(batch_cost_usd[24h])", "max_over_time(batch_cost_usd[48h])" },
        { "BatchTelemetryDropped", "(batch_telemetry_dropped) > 0", "(batch_telemetry_dropped) >= 0" },
    };

    public static TheoryData<string> AlertNames()
    {
        var data = new TheoryData<string>();
        foreach (var alert in Overlay.Alerts)
        {
            data.Add((string)alert["alert"]!);
        }

        return data;
    }

    [SkippableFact]
    public void Prometheus_config_is_valid_where_the_Deployment_mounts_it_and_loads_the_shipped_rules()
    {
        Promtool.SkipIfMissing();
        // Lay out every generated ConfigMap the Prometheus pod mounts, at its mount path under a
        // temporary root: the config's relative rule_files then resolve as they do in the pod.
        var root = Directory.CreateTempSubdirectory("prometheus-pod-").FullName;
        var pod = Overlay.Find("Deployment", "prometheus")["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]!.AsArray().Single()!;
        var mounts = container["volumeMounts"]!.AsArray().ToDictionary(m => (string)m!["name"]!, m => (string)m!["mountPath"]!);
        foreach (var volume in pod["volumes"]!.AsArray().Where(v => v!["configMap"] is not null))
        {
            var configMap = (string)volume!["configMap"]!["name"]!;
            var generator = Overlay.Kustomization["configMapGenerator"]!.AsArray().Single(g => (string)g!["name"]! == configMap)!;
            foreach (var entry in generator["files"]!.AsArray().Select(f => (string)f!))
            {
                var key = entry[..entry.IndexOf('=', StringComparison.Ordinal)];
                var target = Path.Combine(root, mounts[(string)volume["name"]!].TrimStart('/'), key);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(Overlay.GeneratedFile(configMap, key), target);
            }
        }

        var configFlag = container["args"]!.AsArray().Select(a => (string)a!).Single(a => a.StartsWith("--config.file=", StringComparison.Ordinal));
        var (exitCode, output) = Promtool.Run(root, "check", "config", Path.Combine(root, configFlag["--config.file=".Length..].TrimStart('/')));

        exitCode.Should().Be(0, output);
        output.Should().Contain("SUCCESS: 1 rule files found", output)
            .And.Contain($"SUCCESS: {Overlay.RuleEntries.Count()} rules found", "the config loads the very rules the overlay ships, at their mount path");
    }

    [SkippableFact]
    public void Rules_pass_promtool_check_rules()
    {
        Promtool.SkipIfMissing();
        var (exitCode, output) = Promtool.Run(Overlay.Dir, "check", "rules", Overlay.RulesFile);
        exitCode.Should().Be(0, output);
        output.Should().Contain($"SUCCESS: {Overlay.RuleEntries.Count()} rules found");
    }

    [SkippableFact]
    public void Alert_rule_unit_tests_pass()
    {
        Promtool.SkipIfMissing();
        var (exitCode, output) = Promtool.Run(Overlay.Dir, "test", "rules", Overlay.RulesTestFile);
        exitCode.Should().Be(0, output);
        output.Should().Contain("SUCCESS");
    }

    [SkippableTheory]
    [MemberData(nameof(Breaks))]
    public void Alert_rule_unit_tests_fail_when_a_rule_breaks(string alert, string from, string to)
    {
        Promtool.SkipIfMissing();
        var rules = File.ReadAllText(Overlay.RulesFile);
        rules.Should().Contain(from, "the break must apply to the shipped rule");

        var (exitCode, output) = RunTestsAgainst(rules.Replace(from, to, StringComparison.Ordinal));

        exitCode.Should().NotBe(0, $"breaking {alert} ({from} -> {to}) must fail its tests:\n{output}");
        output.Should().Contain($"alertname: {alert},");
    }

    [SkippableTheory]
    [MemberData(nameof(AlertNames))]
    public void Every_alert_has_a_test_that_fails_if_it_never_fires_and_one_if_it_always_fires(string alert)
    {
        Promtool.SkipIfMissing();
        foreach (var expr in new[] { "vector(1) < 0", "vector(1)" })
        {
            var (exitCode, output) = RunTestsAgainst(WithExpr(alert, expr));
            exitCode.Should().NotBe(0, $"{alert} with expr {expr} must fail its tests:\n{output}");
            output.Should().Contain($"alertname: {alert},");
        }
    }

    [SkippableFact]
    public void Every_dashboard_query_parses()
    {
        Promtool.SkipIfMissing();
        var queries = Overlay.DashboardExpressions.ToList();
        queries.Should().NotBeEmpty();

        var (exitCode, output) = CheckAsRules(queries.Select(q => PromQl.WithGrafanaVariables(q.Expr)));

        exitCode.Should().Be(0, output);
        output.Should().Contain($"SUCCESS: {queries.Count} rules found");
    }

    [SkippableFact]
    public void A_query_that_does_not_parse_is_caught()
    {
        Promtool.SkipIfMissing();
        // The harness above would let nothing through: an unknown Grafana variable, a missing bracket.
        CheckAsRules(["sum(rate(batch_total_records[$__unknown]))"]).ExitCode.Should().NotBe(0);
        CheckAsRules(["sum(rate(batch_total_records[5m])"]).ExitCode.Should().NotBe(0);
    }

    private static (int ExitCode, string Output) CheckAsRules(IEnumerable<string> expressions)
    {
        // One recording rule per query: promtool parses each expression as Prometheus would.
        var rules = new JsonObject
        {
            ["groups"] = new JsonArray(new JsonObject
            {
                ["name"] = "dashboard",
                ["rules"] = new JsonArray(expressions.Select((e, i) => (JsonNode)new JsonObject { ["record"] = $"dashboard:query_{i}", ["expr"] = e }).ToArray()),
            }),
        };
        var file = Path.Combine(Directory.CreateTempSubdirectory("dashboard-queries-").FullName, "queries.yaml");
        File.WriteAllText(file, rules.ToJsonString()); // JSON is YAML
        return Promtool.Run(Path.GetDirectoryName(file)!, "check", "rules", file);
    }

    private static (int ExitCode, string Output) RunTestsAgainst(string rules)
    {
        // The test file beside a changed rules file of the same name, as in the repo.
        var dir = Directory.CreateTempSubdirectory("broken-rules-").FullName;
        File.Copy(Overlay.RulesTestFile, Path.Combine(dir, Path.GetFileName(Overlay.RulesTestFile)));
        File.WriteAllText(Path.Combine(dir, Path.GetFileName(Overlay.RulesFile)), rules);
        return Promtool.Run(dir, "test", "rules", Path.Combine(dir, Path.GetFileName(Overlay.RulesTestFile)));
    }

    private static string WithExpr(string alert, string expr)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(Overlay.RulesFile)))
        {
            stream.Load(reader);
        }

        var rule = ((YamlSequenceNode)((YamlMappingNode)stream.Documents[0].RootNode)["groups"]).Children
            .SelectMany(g => ((YamlSequenceNode)((YamlMappingNode)g)["rules"]).Children.Cast<YamlMappingNode>())
            .Single(r => r.Children.TryGetValue("alert", out var name) && ((YamlScalarNode)name).Value == alert);
        rule.Children[new YamlScalarNode("expr")] = new YamlScalarNode(expr);
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}
