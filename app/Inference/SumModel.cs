using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace BatchJob.Inference;

/// <summary>
/// The lab's model: the prediction is the sum of the features, added left to right as the guide's
/// Python does, so results match it to the last bit. <c>CPU_BURN_MS</c> adds simulated model work
/// (busy CPU, not sleep) so CPU limits and throttling show up as they would with a real model.
/// </summary>
/// <remarks>
/// The work is a fixed amount of computation - what one unthrottled core does in CPU_BURN_MS -
/// not "spin until CPU_BURN_MS of wall time has passed": a real model needs the same CPU whatever
/// the limit, so under a 250m limit a record takes about four times as long as on a full core,
/// which is what the guide's Resource Throttling table shows. A wall-clock spin would finish on
/// time while throttled and hide exactly that.
/// </remarks>
internal sealed class SumModel
{
    private readonly long _burnIterations;

    public SumModel(double cpuBurnMs)
    {
        _burnIterations = cpuBurnMs > 0 ? (long)Math.Round(cpuBurnMs * IterationsPerMillisecond()) : 0;
    }

    /// <summary>Returns the prediction, or NaN when the sum overflows (a failed record, not a crash).</summary>
    public double Predict(ReadOnlySpan<double> features)
    {
        var sum = 0.0;
        foreach (var feature in features)
        {
            sum += feature;
        }

        if (_burnIterations > 0)
        {
            // Spin is never inlined, so the JIT cannot drop the call or its loop, whose result it returns.
            _ = Spin(sum, _burnIterations);
        }

        return double.IsFinite(sum) ? sum : double.NaN;
    }

    /// <summary>
    /// How many <see cref="Spin"/> iterations one core does per millisecond: the fastest of a few
    /// ~1 ms samples, because a sample that a CPU limit throttled or the scheduler preempted only
    /// looks slower. About 15 ms, once, and only when CPU_BURN_MS is set.
    /// </summary>
    private static double IterationsPerMillisecond()
    {
        long iterations = 20_000;
        var best = 0.0;
        var x = 1.0;
        for (var sample = 0; sample < 12; sample++)
        {
            var start = Stopwatch.GetTimestamp();
            x = Spin(x, iterations);
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (ms > 0)
            {
                best = Math.Max(best, iterations / ms);
                // Aim the next sample at about a millisecond.
                iterations = Math.Max(1_000, (long)best);
            }
        }

        return best > 0 && double.IsFinite(x) ? best : 1_000_000;
    }

    // Optimized from the first call, so calibration and every record run the same machine code.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Spin(double x, long iterations)
    {
        for (var i = 0L; i < iterations; i++)
        {
            x = (x * 0.999999) + 1e-9;
        }

        return x;
    }
}
