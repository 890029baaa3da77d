using System.Diagnostics;
using System.Runtime.InteropServices;

namespace BatchJob.Tests.Support;

/// <summary>
/// The worker as it ships: <c>dotnet publish</c>ed once per test run as the image builds it
/// (native AOT, Release) when this machine has the native toolchain, else the JIT build, with one
/// line in the test output saying which and why. Started as a real process with exactly the
/// environment a test gives it, in an empty working directory so no stray <c>.env</c> is read.
/// Process-level tests (manifests, OTLP, signals) share it.
/// </summary>
public static class PublishedWorker
{
    private static readonly Lazy<PublishedBuild> Published = new(Publish, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Path of the published <c>BatchJob</c> executable.</summary>
    public static string Executable => Published.Value.Executable;

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

    /// <summary>
    /// The properties of the Dockerfile's <c>dotnet publish</c> that decide what the binary is
    /// (a Kit test keeps the two equal); the runtime is this machine's, as the Dockerfile's
    /// <c>-a $TARGETARCH</c> is the build machine's.
    /// </summary>
    public static IReadOnlyList<string> NativeAotProperties { get; } =
        ["-p:PublishAot=true", "-p:DebugType=none", "-p:TreatWarningsAsErrors=false", "-p:IlcTreatWarningsAsErrors=true"];

    /// <summary>Whether the tests run the native AOT binary (else the JIT build).</summary>
    public static bool IsNativeAot => Published.Value.NativeAot;

    /// <summary>Developers' override: <c>aot</c> (native or fail), <c>jit</c> (skip the native build), unset: native when the toolchain is there.</summary>
    public const string ModeVariable = "BATCHJOB_TEST_WORKER";

    private static PublishedBuild Publish()
    {
        var mode = Environment.GetEnvironmentVariable(ModeVariable) ?? "";
        if (mode is not ("" or "aot" or "jit"))
        {
            throw new InvalidOperationException($"{ModeVariable}={mode}: expected aot, jit or unset");
        }

        string reason;
        if (mode == "jit")
        {
            reason = $"{ModeVariable}=jit";
        }
        else
        {
            // The native build is tried rather than its toolchain probed for: a probe can be wrong
            // about what the ILCompiler needs, its own failure cannot.
            var clock = Stopwatch.StartNew();
            var aot = DotnetPublish("aot", ["--use-current-runtime", .. NativeAotProperties]);
            if (aot.ExitCode == 0)
            {
                TestRunReport.Line($"Process-level tests run the native AOT worker ({RuntimeInformation.RuntimeIdentifier}, as the image ships it); publish took {clock.Elapsed.TotalSeconds:0} s");
                return new PublishedBuild(aot.Executable, NativeAot: true);
            }

            var missing = NativeToolchain.MissingReason(aot.Output);
            if (missing is null || mode == "aot")
            {
                throw new InvalidOperationException(
                    (missing is null
                        ? "The native AOT publish failed, and not for a missing native toolchain: the worker does not build as the image builds it."
                        : $"{ModeVariable}=aot, but the native toolchain is missing: {missing}")
                    + $" ({ModeVariable}=jit runs the process-level tests on the JIT build instead.)\n{aot.Errors}");
            }

            reason = "native toolchain missing: " + missing;
        }

        var jit = DotnetPublish("jit", []);
        if (jit.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({jit.ExitCode}):\n{jit.Output}");
        }

        TestRunReport.Line($"Process-level tests run the JIT worker: native AOT build skipped ({reason})");
        return new PublishedBuild(jit.Executable, NativeAot: false);
    }

    /// <summary>
    /// <c>dotnet publish -c Release</c> into a folder of the test output, with its own obj and bin
    /// (--artifacts-path): the native build's restore (a runtime, the ILCompiler) must not rewrite
    /// app/obj under the IDE's and the test build's feet. Run again, it is incremental: the
    /// compile and the native compile and link are skipped when the app has not changed.
    /// </summary>
    private static (int ExitCode, string Output, string Errors, string Executable) DotnetPublish(string kind, IEnumerable<string> arguments)
    {
        var output = Path.Combine(AppContext.BaseDirectory, "published-worker", kind);
        if (Directory.Exists(output))
        {
            // A publish adds to its folder and never removes: a file the app no longer has would
            // stay beside the worker. The build state in worker-build keeps the re-publish quick.
            Directory.Delete(output, recursive: true);
        }

        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] common =
        [
            "publish", Repo.File("app", "BatchJob.csproj"), "-c", "Release", "-o", output,
            "--artifacts-path", Path.Combine(AppContext.BaseDirectory, "worker-build", kind), "--nologo",
        ];
        foreach (var arg in common.Concat(arguments))
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
        var text = stdout.Result + stderr.Result;
        // "...: error MSB3073: ...", "ILC : AOT analysis error IL3050: ...", "clang : error : ...";
        // MSBuild repeats each in its summary. A failure without such a line shows everything.
        var errors = string.Join('\n', text.Split('\n').Where(l => l.Contains(" error ", StringComparison.Ordinal)).Distinct());
        return (process.ExitCode, text, errors.Length > 0 ? errors : text, Path.Combine(output, "BatchJob"));
    }
}
