using System.Diagnostics;
using System.Text.Json;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Kit;

/// <summary>
/// The offline, strict manifest validator in tools/k8s-validate (node): installs its pinned
/// packages with <c>npm ci</c> the first time (or when package-lock.json changed), then runs it.
/// </summary>
public static class K8sValidator
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    private static readonly Lazy<string> Installed = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string ToolDirectory => Repo.File("tests", "BatchJob.Tests", "tools", "k8s-validate");

    /// <summary>Validates the files; one result per YAML document.</summary>
    public static IReadOnlyList<ValidationResult> Validate(params string[] files)
    {
        var (exit, stdout, stderr) = Run("node", Installed.Value, [Path.Combine(Installed.Value, "validate.mjs"), .. files], TimeSpan.FromMinutes(1));
        List<ValidationResult> results;
        try
        {
            results = JsonSerializer.Deserialize<List<ValidationResult>>(stdout, JsonOptions)
                ?? throw new InvalidOperationException("no output");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"validator printed no JSON (exit {exit}):\n{stdout}\n{stderr}", e);
        }

        (exit == 0).Should().Be(results.Count > 0 && results.TrueForAll(r => r.Valid), "the exit code agrees with the results:\n" + stdout);
        return results;
    }

    private static string Install()
    {
        var dir = ToolDirectory;
        var marker = Path.Combine(dir, "node_modules", ".package-lock.json");
        if (!File.Exists(marker) || File.GetLastWriteTimeUtc(marker) < File.GetLastWriteTimeUtc(Path.Combine(dir, "package-lock.json")))
        {
            var (exit, stdout, stderr) = Run("npm", dir, ["ci", "--no-audit", "--no-fund", "--loglevel=error"], TimeSpan.FromMinutes(5));
            if (exit != 0)
            {
                throw new InvalidOperationException($"npm ci failed in {dir} ({exit}):\n{stdout}\n{stderr}");
            }
        }

        return dir;
    }

    private static (int Exit, string Stdout, string Stderr) Run(string program, string workingDirectory, IEnumerable<string> args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + program);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within {timeout}");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
