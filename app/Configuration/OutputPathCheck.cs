namespace BatchJob.Configuration;

/// <summary>
/// Checks that the worker can publish to an output path (OUTPUT_PATH, REJECTS_PATH), reported with
/// the other configuration problems. Given by the composition root (OutputTarget.Prepare), so
/// reading options does not reach into the file system work of the output itself.
/// </summary>
/// <returns>Null when the path is usable; otherwise what was expected of it.</returns>
internal delegate string? OutputPathCheck(string path, string sharedFolder, string inputPath);
