namespace BatchJob.Configuration;

/// <summary>Prices and the pod's resources: the inputs of the cost model.</summary>
/// <param name="CpuRequestCores">Only validated (at most the limit, as Kubernetes requires) so a pod spec the API server would reject fails here first; the cost formula charges the limit, not the request.</param>
/// <param name="CpuLimitCores">The cores the cost formula charges for (the pod may use up to this).</param>
/// <param name="MemoryLimitBytes">The memory the cost formula charges for.</param>
/// <param name="BudgetUsd">COST_BUDGET_USD: the run stops before a record that would take its cost over this; null for no budget.</param>
internal sealed record CostOptions(
    bool Enabled,
    decimal CpuPerHour,
    decimal MemoryGbPerHour,
    decimal TargetPerRecord,
    decimal CpuRequestCores,
    decimal CpuLimitCores,
    decimal MemoryRequestBytes,
    decimal MemoryLimitBytes,
    decimal? BudgetUsd = null)
{
    private const decimal BytesPerGiB = 1024m * 1024 * 1024;

    public double CpuCores => (double)CpuLimitCores;

    public double MemoryGiB => (double)(MemoryLimitBytes / BytesPerGiB);

    public double MemoryMiB => (double)(MemoryLimitBytes / (1024m * 1024));
}
