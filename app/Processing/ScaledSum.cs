namespace BatchJob.Processing;

/// <summary>
/// A running sum of finite doubles whose mean cannot overflow. While the plain sum stays finite it
/// is exactly <c>a + b + ...</c> (the same bits as before, so normal runs print what they always
/// did); the first addition that would overflow scales the sum, and every later addend, down by
/// 2^64, a power of two, so only the exponent changes. Two records of 1e308 then average to 1e308
/// instead of Infinity (issue 21). Only the total of values whose true sum is beyond the double
/// range is not finite, and no total the worker prints can get there: latencies and costs are
/// bounded by the run's time and the validated (decimal) prices.
/// </summary>
internal sealed class ScaledSum
{
    private const int Step = 64;

    // The sum divided by 2^_exponent.
    private double _sum;
    private int _exponent;

    /// <summary>The sum; infinite only when the true sum is beyond the double range.</summary>
    public double Total => Math.ScaleB(_sum, _exponent);

    /// <summary>The exact state, for a checkpoint: restored by <see cref="Restore"/>, later additions give the same bits as if never interrupted.</summary>
    public (double Sum, int Exponent) State => (_sum, _exponent);

    public void Restore((double Sum, int Exponent) state) => (_sum, _exponent) = state;

    public void Add(double value)
    {
        var next = _sum + (_exponent == 0 ? value : Math.ScaleB(value, -_exponent));
        if (double.IsFinite(next))
        {
            _sum = next;
            return;
        }

        _exponent += Step;
        _sum = Math.ScaleB(_sum, -Step) + Math.ScaleB(value, -_exponent);
    }

    /// <summary>The mean of <paramref name="count"/> added values (0 when none): finite for finite values.</summary>
    public double Mean(long count)
    {
        if (count == 0)
        {
            return 0;
        }

        var mean = Math.ScaleB(_sum / count, _exponent);
        // The true mean lies within the values' range; a sum rounded up at the very top of the
        // double range can still make it round past double.MaxValue.
        return double.IsInfinity(mean) ? Math.CopySign(double.MaxValue, mean) : mean;
    }
}
