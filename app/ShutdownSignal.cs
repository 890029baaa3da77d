using System.Runtime.InteropServices;

namespace BatchJob;

/// <summary>
/// Turns SIGTERM (pod deletion, activeDeadlineSeconds, node drain) and Ctrl+C into a cancellation,
/// so the worker finishes the record in hand, flushes and reports instead of dying mid-write.
/// A second signal while stopping falls through to the default: the process ends at once.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal() =>
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal)];

    public CancellationToken Token => _cancellation.Token;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = !_cancellation.IsCancellationRequested;
        _cancellation.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancellation.Dispose();
    }
}
