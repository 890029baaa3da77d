using System.Diagnostics;

namespace BatchJob.Inference;

/// <summary>
/// The lab's model: the prediction is the sum of the features, added left to right as the guide's
/// Python does, so results match it to the last bit. <c>CPU_BURN_MS</c> adds simulated model work
/// (busy CPU, not sleep) so CPU limits and throttling show up as they would with a real model.
/// </summary>
public sealed class SumModel(double cpuBurnMs)
{
    private readonly long _burnTicks = (long)(cpuBurnMs * Stopwatch.Frequency / 1000);
    private double _burnResult;

    /// <summary>Result of the simulated work; read only so the JIT cannot drop it.</summary>
    public double BurnResult => _burnResult;

    /// <summary>Returns the prediction, or NaN when the sum overflows (a failed record, not a crash).</summary>
    public double Predict(ReadOnlySpan<double> features)
    {
        var sum = 0.0;
        foreach (var feature in features)
        {
            sum += feature;
        }

        if (_burnTicks > 0)
        {
            Burn(sum);
        }

        return double.IsFinite(sum) ? sum : double.NaN;
    }

    private void Burn(double seed)
    {
        var until = Stopwatch.GetTimestamp() + _burnTicks;
        var x = seed;
        while (Stopwatch.GetTimestamp() < until)
        {
            for (var i = 0; i < 256; i++)
            {
                x = (x * 1.000001) + 1e-9;
            }
        }

        // Keeps the loop from being optimized away without changing the prediction.
        _burnResult = x;
    }
}
