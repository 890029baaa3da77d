using System.Diagnostics;

namespace BatchJob.Tests.Support;

/// <summary>
/// The worker as it ships: <c>dotnet publish</c>ed once per test run (Release) and started as a
/// real process with exactly the environment a test gives it, in an empty working directory so
/// no stray <c>.env</c> is read. Process-level tests (manifests, OTLP, signals) share it.
/// </summary>
public static class PublishedWorker
{
    private static readonly Lazy<string> Published = new(Publish, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Path of the published <c>BatchJob</c> executable.</summary>
    public static string Executable => Published.Value;

    /// <summary>Starts the worker; the caller owns the process (read its output, wait for it, signal it).</summary>
    /// <param name="environment">Variables to set (null value removes one). OTEL_*, and every configuration key, are cleared first so the host machine cannot leak in.</param>
    /// <param name="wrapper">A command that ends by running the worker (its path and <paramref name="args"/> follow), e.g. a shell that sets a limit and execs it.</param>
    public static Process Start(IReadOnlyDictionary<string, string?> environment, IEnumerable<string>? args = null, string? workingDirectory = null, IReadOnlyList<string>? wrapper = null) =>
        Process.Start(StartInfo(environment, args, workingDirectory, wrapper)) ?? throw new InvalidOperationException("could not start " + Executable);

    /// <summary>What <see cref="Start"/> starts, for a test that needs to change it first (stdin, say).</summary>
    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string?> environment, IEnumerable<string>? args = null, string? workingDirectory = null, IReadOnlyList<string>? wrapper = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var info = new ProcessStartInfo(wrapper?[0] ?? Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Directory.CreateTempSubdirectory("batchjob-run-").FullName,
        };
        foreach (var key in info.Environment.Keys.ToList())
        {
            if (key.StartsWith("OTEL_", StringComparison.Ordinal) || key is "TRACEPARENT" or "TRACESTATE"
                || BatchJob.Configuration.ConfigKeys.Configurable.Contains(key))
            {
                info.Environment.Remove(key);
            }
        }

        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        foreach (var arg in wrapper is null ? [] : wrapper.Skip(1).Append(Executable))
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var arg in args ?? [])
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    /// <summary>Runs the worker to completion (killed after <paramref name="timeout"/>, default 60 s).</summary>
    public static async Task<WorkerRun> RunAsync(IReadOnlyDictionary<string, string?> environment, IEnumerable<string>? args = null, TimeSpan? timeout = null, string? workingDirectory = null, IReadOnlyList<string>? wrapper = null)
    {
        _ = Executable; // publish first (once per test run), so it is not timed as the worker's run
        var clock = Stopwatch.StartNew();
        using var process = Start(environment, args, workingDirectory, wrapper);
        return await CollectAsync(process, clock, timeout ?? TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// Starts the worker, sends SIGTERM once it has logged more than <paramref name="records"/>
    /// record lines, and gathers the whole run; also returns when the signal went out.
    /// </summary>
    public static async Task<(WorkerRun Run, TimeSpan Signalled)> TerminateMidBatchAsync(IReadOnlyDictionary<string, string?> environment, int records = 10)
    {
        _ = Executable;
        var clock = Stopwatch.StartNew();
        using var worker = Start(environment);
        var lines = new List<string>();
        while (await worker.StandardOutput.ReadLineAsync() is { } line)
        {
            lines.Add(line);
            if (line.Contains("\"Record processed\"", StringComparison.Ordinal) && lines.Count > records)
            {
                break;
            }
        }

        var signalled = clock.Elapsed;
        Signals.Send(worker.Id, Signals.SigTerm);
        var rest = await CollectAsync(worker, clock, TimeSpan.FromSeconds(60));
        return (rest with { StdoutLines = [.. lines, .. rest.StdoutLines] }, signalled);
    }

    /// <summary>Waits for a started worker and gathers its output.</summary>
    public static async Task<WorkerRun> CollectAsync(Process process, Stopwatch clock, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(clock);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"worker did not exit within {timeout}; stdout so far:\n{await stdout}");
        }

        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new WorkerRun(process.ExitCode, lines, await stderr, clock.Elapsed);
    }

    private static string Publish()
    {
        var output = Path.Combine(AppContext.BaseDirectory, "published-worker");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "publish", Repo.File("app", "BatchJob.csproj"), "-c", "Release", "-o", output, "--nologo" })
        {
            info.ArgumentList.Add(arg);
        }

        // A publish inside a test run must not inherit the test host's MSBuild node settings.
        info.Environment.Remove("MSBuildExtensionsPath");
        info.Environment.Remove("MSBUILD_EXE_PATH");
        info.Environment.Remove("MSBuildSDKsPath");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
        }

        return Path.Combine(output, "BatchJob");
    }
}
