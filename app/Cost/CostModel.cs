using BatchJob.Configuration;

namespace BatchJob.Cost;

/// <summary>
/// The guide's cost formula, per record: what the pod's CPU and memory limits cost for the time
/// the record took. cpu = cores × $/CPU-hour × s / 3600; memory = GiB × $/GiB-hour × s / 3600.
/// </summary>
internal sealed class CostModel(CostOptions options)
{
    private readonly double _usdPerSecond =
        ((options.CpuCores * (double)options.CpuPerHour) + (options.MemoryGiB * (double)options.MemoryGbPerHour)) / 3600.0;

    public double CpuCores { get; } = options.CpuCores;

    public double MemoryMiB { get; } = options.MemoryMiB;

    /// <summary>Cost in US dollars of holding the pod's resources for <paramref name="latencyMs"/>.</summary>
    public double CostUsd(double latencyMs) => _usdPerSecond * latencyMs / 1000.0;
}
