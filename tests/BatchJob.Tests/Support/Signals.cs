using System.Runtime.InteropServices;

namespace BatchJob.Tests.Support;

/// <summary>Sends POSIX signals to a process, as the kubelet does, without depending on a kill binary.</summary>
public static class Signals
{
    public const int SigTerm = 15;

    public static void Send(int pid, int signal)
    {
        if (NativeMethods.kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable IDE1006 // the C function is called kill
        internal static extern int kill(int pid, int sig);
#pragma warning restore IDE1006
    }
}
