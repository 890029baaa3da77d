using BatchJob;

// SIGTERM and Ctrl+C become a cancellation; stdout gets the JSON log lines; the exit code tells
// Kubernetes how the batch went (see ExitCode).
using var shutdown = new ShutdownSignal();
// stdout by its descriptor, not Console's stream, which hides a closed pipe (see DescriptorStream).
using var stdout = OperatingSystem.IsWindows() ? Console.OpenStandardOutput() : new BatchJob.Logging.DescriptorStream(1);
return (int)BatchApplication.Run(args, stdout, Environment.CurrentDirectory, environment: null, shutdown.Token);
