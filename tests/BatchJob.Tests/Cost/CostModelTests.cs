using BatchJob.Configuration;
using BatchJob.Cost;

namespace BatchJob.Tests.Cost;

public sealed class CostModelTests
{
    private static CostOptions Options(decimal cpuLimit, decimal memoryLimitBytes, decimal cpuPrice = 0.04m, decimal memoryPrice = 0.005m) =>
        new(Enabled: true, cpuPrice, memoryPrice, TargetPerRecord: 0.0001m, CpuRequestCores: 0.25m, cpuLimit, MemoryRequestBytes: 256m * 1024 * 1024, memoryLimitBytes);

    [Fact]
    public void Guide_worked_example_45ms_at_half_a_core_and_half_a_GiB()
    {
        var model = new CostModel(Options(cpuLimit: 0.5m, memoryLimitBytes: 512m * 1024 * 1024));

        // cpu: 0.5 × 0.04 × 0.045 / 3600 = 2.5e-7; memory: 0.5 × 0.005 × 0.045 / 3600 = 3.125e-8.
        model.CostUsd(45).Should().BeApproximately(2.5e-7 + 3.125e-8, 1e-18);
        model.CpuCores.Should().Be(0.5);
        model.MemoryMiB.Should().Be(512);
    }

    [Fact]
    public void Cost_is_linear_in_latency_and_in_each_price()
    {
        var baseline = new CostModel(Options(1m, 1024m * 1024 * 1024, cpuPrice: 0.04m, memoryPrice: 0m));
        var memoryOnly = new CostModel(Options(1m, 1024m * 1024 * 1024, cpuPrice: 0m, memoryPrice: 0.005m));

        baseline.CostUsd(3_600_000).Should().BeApproximately(0.04, 1e-15, "one core for one hour costs the CPU-hour price");
        memoryOnly.CostUsd(3_600_000).Should().BeApproximately(0.005, 1e-15, "one GiB for one hour costs the GiB-hour price");
        baseline.CostUsd(20).Should().BeApproximately(2 * baseline.CostUsd(10), 1e-20);
        baseline.CostUsd(0).Should().Be(0);
    }
}
