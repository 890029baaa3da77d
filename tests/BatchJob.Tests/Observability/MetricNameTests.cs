namespace BatchJob.Tests.Observability;

/// <summary>
/// Every metric name the alert rules and the dashboard query is one that really exists: a series
/// the worker's instruments become, a kube-state-metrics series, or a rule's own recorded name.
/// </summary>
public sealed class MetricNameTests
{
    [Fact]
    public void The_worker_instruments_give_the_contract_names_and_the_drop_counter()
    {
        ExportedMetricNames.FromWorker().Should().Contain([
            "batch_total_records", "record_latency_ms_bucket", "record_latency_ms_sum", "record_latency_ms_count",
            "batch_processing_ms", "batch_cost_usd", "cost_per_record_usd", "cpu_utilization", "batch_telemetry_dropped"]);
        ExportedMetricNames.FromWorker().Should().NotContain(["record_latency_ms", "batch_total_records_total"], "add_metric_suffixes: false adds nothing, a histogram has no bare series");
    }

    [Fact]
    public void Every_metric_name_in_the_alert_rules_is_exported()
    {
        var known = Known();
        var used = Overlay.RuleEntries.Select(r => (Where: (string?)r["alert"] ?? (string)r["record"]!, Expr: (string)r["expr"]!)).ToList();

        used.SelectMany(u => PromQl.MetricNames(u.Expr).Where(n => !known.Contains(n)).Select(n => $"{u.Where}: {n}"))
            .Should().BeEmpty("every rule may only select series that exist");
        used.SelectMany(u => PromQl.MetricNames(u.Expr)).Should().Contain(["record_latency_ms_bucket", "cost_per_record_usd", "batch_cost_usd", "batch_telemetry_dropped", "kube_job_failed"]);
    }

    [Fact]
    public void Every_metric_name_in_the_dashboard_is_exported()
    {
        var known = Known();
        var used = Overlay.DashboardExpressions.ToList();

        used.Should().NotBeEmpty();
        used.SelectMany(u => PromQl.MetricNames(u.Expr).Where(n => !known.Contains(n)).Select(n => $"{u.Where}: {n}"))
            .Should().BeEmpty("every dashboard query may only select series that exist");
        used.SelectMany(u => PromQl.MetricNames(u.Expr)).Should().Contain(["batch_total_records", "record_latency_ms_bucket", "cost_per_record_usd", "batch_cost_usd"]);
    }

    [Theory]
    [InlineData("sum by (le) (rate(record_latency_ms_bucket{job=\"a b\", le!=\"+Inf\"}[5m])) > on() group_left() batch:threshold", "record_latency_ms_bucket batch:threshold")]
    [InlineData("histogram_quantile(0.95, sum without (instance) (max_over_time(x_bucket[1h:1m] offset 5m)))", "x_bucket")]
    [InlineData("count(kube_job_failed{namespace=\"n\"} == 1) or vector(0) * 1e3", "kube_job_failed")]
    [InlineData("a / ignoring(b, c) group_right(d) e unless f", "a e f")]
    public void The_name_reader_finds_selected_metrics_only(string expr, string expected)
    {
        PromQl.MetricNames(expr).Should().BeEquivalentTo(expected.Split(' '));
    }

    [Fact]
    public void A_name_with_the_exporter_suffixes_would_be_caught()
    {
        // What Prometheus would see with add_metric_suffixes left at true: not a name the worker exports.
        var names = PromQl.MetricNames("histogram_quantile(0.95, sum by (le) (rate(record_latency_ms_milliseconds_bucket[5m])))");
        names.Should().Equal("record_latency_ms_milliseconds_bucket");
        Known().Should().NotContain(names);
    }

    private static HashSet<string> Known() =>
        [.. ExportedMetricNames.FromWorker(), .. ExportedMetricNames.KubeStateMetrics, .. Overlay.RecordedNames];
}
