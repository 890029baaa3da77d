using System.Diagnostics;

namespace BatchJob.Tests.Support;

/// <summary>Reading a running worker's stdout as it comes, to act (signal it, feed it) at a known point of its run.</summary>
public static class WorkerOutput
{
    /// <summary>Reads stdout lines until one contains <paramref name="text"/>; returns every line read.</summary>
    /// <param name="timeout">Only catches a worker that never prints it: the worker is killed and the test fails with what it printed.</param>
    public static async Task<List<string>> ReadUntilAsync(Process worker, string text, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(worker);
        var lines = new List<string>();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (await worker.StandardOutput.ReadLineAsync(cancel.Token) is { } line)
            {
                lines.Add(line);
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return lines;
                }
            }
        }
        catch (OperationCanceledException)
        {
            worker.Kill(entireProcessTree: true);
            throw new TimeoutException($"no stdout line with '{text}' within {timeout}; stdout so far:\n{string.Join('\n', lines)}");
        }

        throw new InvalidOperationException($"the worker ended (exit {await ExitCodeAsync(worker)}) without a line with '{text}'; stdout:\n{string.Join('\n', lines)}\nstderr:\n{await worker.StandardError.ReadToEndAsync()}");
    }

    /// <summary>Waits for the worker to exit; the run holds <paramref name="seen"/> and the rest of stdout.</summary>
    /// <param name="timeout">Only catches a hang (see <see cref="PublishedWorker.CollectAsync"/>).</param>
    public static async Task<WorkerRun> FinishAsync(Process worker, IEnumerable<string> seen, Stopwatch clock, TimeSpan timeout)
    {
        var rest = await PublishedWorker.CollectAsync(worker, clock, timeout);
        return rest with { StdoutLines = [.. seen, .. rest.StdoutLines] };
    }

    private static async Task<int> ExitCodeAsync(Process worker)
    {
        await worker.WaitForExitAsync();
        return worker.ExitCode;
    }
}
