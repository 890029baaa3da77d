using System.Diagnostics;

namespace BatchJob.Processing;

/// <summary>Measures the process's CPU time and wall time from a starting point, and its peak memory.</summary>
internal sealed class ResourceUsage
{
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private readonly TimeSpan _startCpu;

    public ResourceUsage()
    {
        using var process = Process.GetCurrentProcess();
        _startCpu = process.TotalProcessorTime;
    }

    public double ElapsedMs => Stopwatch.GetElapsedTime(_startTimestamp).TotalMilliseconds;

    /// <summary>CPU time used since the start over wall time and the CPU limit: 1.0 means the limit was used in full.</summary>
    public double CpuUtilization(double cpuLimitCores)
    {
        using var process = Process.GetCurrentProcess();
        var cpuSeconds = (process.TotalProcessorTime - _startCpu).TotalSeconds;
        var wallSeconds = Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds;
        return wallSeconds <= 0 || cpuLimitCores <= 0 ? 0 : Math.Round(cpuSeconds / (wallSeconds * cpuLimitCores), 4);
    }

    /// <summary>Peak resident memory of the process (VmHWM on Linux), in MiB.</summary>
    public static double PeakMemoryMiB()
    {
        using var process = Process.GetCurrentProcess();
        return Math.Round(process.PeakWorkingSet64 / (1024.0 * 1024.0), 1);
    }
}
