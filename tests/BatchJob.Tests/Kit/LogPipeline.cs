using System.Diagnostics;

namespace BatchJob.Tests.Kit;

/// <summary>A guide's text processing (what follows `kubectl logs ... |`) run by bash on a log given as lines.</summary>
internal static class LogPipeline
{
    /// <summary>Runs <c>cat LOG | pipeline</c> with pipefail, asserts it succeeded, and returns its stdout.</summary>
    public static async Task<string> RunAsync(string pipeline, IEnumerable<string> log)
    {
        var file = Path.GetTempFileName();
        await File.WriteAllLinesAsync(file, log);
        try
        {
            var info = new ProcessStartInfo("bash", ["-c", $"set -o pipefail; cat \"$LOG\" | {pipeline}"]) { RedirectStandardOutput = true, RedirectStandardError = true };
            info.Environment["LOG"] = file;
            using var bash = Process.Start(info)!;
            var output = await bash.StandardOutput.ReadToEndAsync();
            await bash.WaitForExitAsync();
            bash.ExitCode.Should().Be(0, await bash.StandardError.ReadToEndAsync());
            return output;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
