using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace BatchJob.Tests.Support;

/// <summary>
/// Named pipes (FIFOs), made and opened with the libc calls themselves: opening a FIFO's write end
/// without O_NONBLOCK would block the test until the worker opens the read end.
/// </summary>
public static class Fifo
{
    private const int OWronly = 0x1;
    private const int ONonblock = 0x800; // the same on x86-64 and arm64 Linux
    private const int OCloexec = 0x80000;
    private const int FGetfl = 3;
    private const int FSetfl = 4;
    private const int Enxio = 6;

    /// <summary>Makes a FIFO at <paramref name="path"/> and returns the path.</summary>
    public static string Create(string path)
    {
        if (NativeMethods.mkfifo(path, Convert.ToUInt32("600", 8)) != 0)
        {
            throw new InvalidOperationException($"mkfifo({path}) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return path;
    }

    /// <summary>
    /// Opens the write end once a reader has the FIFO open (or is blocked opening it), which is how
    /// a test knows the worker got that far. The handle then blocks on writes like any pipe.
    /// </summary>
    /// <param name="timeout">Only catches a worker that never opens the FIFO.</param>
    public static async Task<FileStream> OpenWriterAsync(string path, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var fd = NativeMethods.open(path, OWronly | ONonblock | OCloexec);
            if (fd >= 0)
            {
                // Blocking from here on: a write waits for room, as a shell's writer would.
                _ = NativeMethods.fcntl(fd, FSetfl, NativeMethods.fcntl(fd, FGetfl, 0) & ~ONonblock);
                return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, bufferSize: 0);
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno != Enxio)
            {
                throw new InvalidOperationException($"open({path}) for writing failed: errno {errno}");
            }

            // ENXIO: no reader yet.
            await Task.Delay(20, cancel.Token);
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable IDE1006 // the C functions' names
        internal static extern int mkfifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int fcntl(int fd, int command, int argument);
#pragma warning restore IDE1006
    }
}
