namespace BatchJob.Configuration;

/// <summary>Prices and the pod's resources: the inputs of the cost model.</summary>
/// <param name="CpuRequestCores">Only validated (at most the limit, as Kubernetes requires) so a pod spec the API server would reject fails here first; the cost formula charges the limit, not the request.</param>
/// <param name="CpuLimitCores">The cores the cost formula charges for (the pod may use up to this).</param>
/// <param name="MemoryLimitBytes">The memory the cost formula charges for.</param>
internal sealed record CostOptions(
    bool Enabled,
    decimal CpuPerHour,
    decimal MemoryGbPerHour,
    decimal TargetPerRecord,
    decimal CpuRequestCores,
    decimal CpuLimitCores,
    decimal MemoryRequestBytes,
    decimal MemoryLimitBytes)
{
    private const decimal BytesPerGiB = 1024m * 1024 * 1024;

    public double CpuCores => (double)CpuLimitCores;

    public double MemoryGiB => (double)(MemoryLimitBytes / BytesPerGiB);

    public double MemoryMiB => (double)(MemoryLimitBytes / (1024m * 1024));
}
