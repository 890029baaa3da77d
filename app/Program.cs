using BatchJob;

// SIGTERM and Ctrl+C become a cancellation; stdout gets the JSON log lines; the exit code tells
// Kubernetes how the batch went (see ExitCode).
using var shutdown = new ShutdownSignal();
return (int)BatchApplication.Run(args, Console.OpenStandardOutput(), Environment.CurrentDirectory, environment: null, shutdown.Token);
