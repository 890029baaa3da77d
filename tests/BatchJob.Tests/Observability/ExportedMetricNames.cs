using System.Diagnostics.Metrics;
using BatchJob.Telemetry;

namespace BatchJob.Tests.Observability;

/// <summary>
/// The metric names Prometheus sees, derived from the worker's own instruments (not a hand list)
/// as the collector's prometheus exporter writes them with <c>add_metric_suffixes: false</c>: the
/// instrument's name as it is (no unit, no <c>_total</c>), and for a histogram its
/// <c>_bucket</c>, <c>_sum</c> and <c>_count</c> series.
/// </summary>
public static class ExportedMetricNames
{
    /// <summary>
    /// kube-state-metrics v2.16.0 job and cronjob metrics the rules and dashboard use
    /// (kubernetes/kube-state-metrics, docs/metrics/workload/job-metrics.md at v2.16.0).
    /// </summary>
    public static readonly IReadOnlySet<string> KubeStateMetrics = new HashSet<string>(StringComparer.Ordinal)
    {
        "kube_job_failed", "kube_job_complete", "kube_job_status_active", "kube_job_status_succeeded", "kube_job_status_failed",
    };

    /// <summary>Every instrument of the worker's Meter, by name, with whether it is a histogram.</summary>
    public static IReadOnlyDictionary<string, bool> Instruments()
    {
        using var telemetry = new BatchTelemetry();
        var found = new Dictionary<string, bool>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter, telemetry.Meter))
                {
                    found[instrument.Name] = instrument.GetType().IsGenericType && instrument.GetType().GetGenericTypeDefinition() == typeof(Histogram<>);
                }
            },
        };
        listener.Start();
        return found;
    }

    /// <summary>The series names the worker's instruments become in Prometheus.</summary>
    public static IReadOnlySet<string> FromWorker() =>
        Instruments().SelectMany(i => i.Value ? [i.Key + "_bucket", i.Key + "_sum", i.Key + "_count"] : new[] { i.Key }).ToHashSet(StringComparer.Ordinal);
}
