using System.Globalization;
using System.Text.RegularExpressions;
using BatchJob.Tests.Kit;

namespace BatchJob.Tests.Observability;

/// <summary>The alert rules' shape, read without promtool: names, for, severity, annotations, tests, thresholds.</summary>
public sealed partial class AlertRuleTests
{
    [Fact]
    public void The_rules_hold_the_contract_alerts_each_with_for_severity_summary_and_runbook()
    {
        Overlay.Alerts.Select(a => (string)a["alert"]!).Should().BeEquivalentTo(
            "BatchCostPerRecordHigh", "BatchJobFailed", "BatchRecordLatencyAnomaly", "BatchDailyCostOverBudget", "BatchTelemetryDropped");
        foreach (var alert in Overlay.Alerts)
        {
            var name = (string)alert["alert"]!;
            ((string?)alert["for"]).Should().MatchRegex("^[1-9][0-9]*[smh]$", name);
            ((string?)alert["labels"]?["severity"]).Should().BeOneOf(["warning", "critical"], name);
            ((string?)alert["annotations"]?["summary"]).Should().NotBeNullOrWhiteSpace(name);
            ((string?)alert["annotations"]?["runbook"]).Should().NotBeNullOrWhiteSpace(name);
        }
    }

    [Fact]
    public void Every_alert_has_a_unit_test_where_it_fires_and_one_where_it_must_not()
    {
        var cases = Yaml.Load(File.ReadAllText(Overlay.RulesTestFile))["tests"]!.AsArray()
            .SelectMany(t => t!["alert_rule_test"]?.AsArray() ?? [])
            .Select(c => (Alert: (string)c!["alertname"]!, Fires: c["exp_alerts"] is { } e && e.AsArray().Count > 0))
            .ToList();
        foreach (var alert in Overlay.Alerts.Select(a => (string)a["alert"]!))
        {
            cases.Should().Contain((alert, true), $"{alert} needs a case where it fires");
            cases.Should().Contain((alert, false), $"{alert} needs a case where it does not");
        }
    }

    [Fact]
    public void The_unit_tests_and_the_overlay_load_the_same_rules_file()
    {
        var testFile = Yaml.Load(File.ReadAllText(Overlay.RulesTestFile));
        testFile["rule_files"]!.AsArray().Select(f => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Overlay.RulesTestFile)!, (string)f!)))
            .Should().Equal(Path.GetFullPath(Overlay.RulesFile));
        Overlay.GeneratedFile("prometheus-rules", "alerts.yaml").Should().Be(Path.GetFullPath(Overlay.RulesFile));
    }

    [Fact]
    public void Thresholds_are_set_once_in_recording_rules_and_the_cost_threshold_is_the_lab_target()
    {
        // An alert compares against recorded thresholds; the only number an alert may hold is 0.
        foreach (var alert in Overlay.Alerts)
        {
            var expr = Braces().Replace((string)alert["expr"]!, "{}");
            Number().Matches(expr).Select(m => m.Value).Where(n => n != "0").Should().BeEmpty($"{(string)alert["alert"]!} sets its thresholds in recording rules");
        }

        var threshold = Overlay.RuleEntries.Single(r => (string?)r["record"] == "batch:cost_per_record_threshold_usd");
        var value = Vector().Match((string)threshold["expr"]!).Groups[1].Value;
        var target = (string)Manifests.Find("ConfigMap", "batch-inference-config")["data"]!["COST_PER_RECORD_TARGET"]!;
        double.Parse(value, CultureInfo.InvariantCulture).Should().Be(double.Parse(target, CultureInfo.InvariantCulture), "the alert's threshold is the lab's COST_PER_RECORD_TARGET");
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"(?<![A-Za-z0-9_:.])[0-9]+(\.[0-9]+)?(e[+-]?[0-9]+)?(?![A-Za-z0-9_])")]
    private static partial Regex Number();

    [GeneratedRegex(@"^vector\(([0-9.e+-]+)\)$")]
    private static partial Regex Vector();
}
