namespace BatchJob.Output;

/// <summary>One "Batch progress" line: records done, average rate so far, elapsed, and the ETA when the input size is known.</summary>
/// <param name="ForecastCostUsd">The cost so far extrapolated to the whole input; null when its size is unknown or cost tracking is off.</param>
internal readonly record struct Progress(long Records, double RatePerSecond, double ElapsedSeconds, double? EtaSeconds, double? ForecastCostUsd = null);
