namespace BatchJob.Output;

/// <summary>One "Batch progress" line: records done, average rate so far, elapsed, and the ETA when the input size is known.</summary>
internal readonly record struct Progress(long Records, double RatePerSecond, double ElapsedSeconds, double? EtaSeconds);
