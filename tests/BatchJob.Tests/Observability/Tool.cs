using System.Diagnostics;
using System.Text;

namespace BatchJob.Tests.Observability;

/// <summary>Runs a command-line tool to completion, with a generous ceiling against hangs.</summary>
public static class Tool
{
    /// <summary>The full path of a tool on the PATH, or null.</summary>
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    public static (int ExitCode, string Output) Run(string executable, string workingDirectory, IEnumerable<string> args, TimeSpan ceiling)
    {
        var info = new ProcessStartInfo(executable)
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

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + executable);
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(ceiling))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} {string.Join(' ', info.ArgumentList)} did not finish within {ceiling}");
        }

        output.Append(stdout.GetAwaiter().GetResult()).Append(stderr.GetAwaiter().GetResult());
        return (process.ExitCode, output.ToString());
    }
}
