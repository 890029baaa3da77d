namespace BatchJob.Configuration;

/// <summary>
/// Checks that the input is not a file the worker itself writes (its stdout or stderr), given by
/// the composition root (OutputTarget.CheckInputNotWritten) as <see cref="OutputPathCheck"/> is.
/// </summary>
/// <returns>Null when the input is none of them; otherwise what INPUT_PATH should have been.</returns>
internal delegate string? InputPathCheck(string inputPath);
