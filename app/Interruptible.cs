namespace BatchJob;

/// <summary>
/// Blocking calls that SIGTERM must still end. Opening a FIFO blocks in open() until a writer
/// comes, and reading a pipe blocks in read() until data comes; neither call looks at a
/// cancellation. So the call runs on a pool thread and the caller waits for it or for the
/// cancellation, whichever comes first. A call given up on stays blocked on its thread, which is
/// harmless: the process is on its way out.
/// </summary>
internal static class Interruptible
{
    /// <exception cref="OperationCanceledException">The cancellation came before the call returned.</exception>
    public static T Run<T>(Func<T> call, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (!cancellation.CanBeCanceled)
        {
            return call();
        }

        cancellation.ThrowIfCancellationRequested();
        return Wait(Task.Run(call, CancellationToken.None), cancellation);
    }

    /// <summary>The result of <paramref name="task"/>, or <see cref="OperationCanceledException"/> if the cancellation comes first; the task's own exception is rethrown as is.</summary>
    public static T Wait<T>(Task<T> task, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.WaitAsync(cancellation).GetAwaiter().GetResult();
    }
}
