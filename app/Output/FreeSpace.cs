using System.Runtime.InteropServices;

namespace BatchJob.Output;

/// <summary>
/// What <c>--check</c> asks the file system without writing to it: the free bytes under a folder
/// (statvfs: <c>f_bavail</c>, the blocks an unprivileged user may still use, times <c>f_frsize</c>)
/// and whether this user could create a file in it (access(2) with W_OK, which also says no on a
/// read-only mount).
/// </summary>
internal static partial class FreeSpace
{
    private const int WriteAndSearch = 2 | 1;

    /// <summary>Bytes this user can still write under <paramref name="folder"/>; null where statvfs is not available.</summary>
    public static long? BytesAvailable(string folder)
    {
        // struct statvfs on 64-bit Linux: f_bsize, f_frsize, f_blocks, f_bfree, f_bavail, ... each 8 bytes.
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess)
        {
            return null;
        }

        Span<byte> stats = stackalloc byte[128];
        if (StatVfs(folder, stats) != 0)
        {
            return null;
        }

        var fragment = MemoryMarshal.Read<ulong>(stats[8..]);
        var available = MemoryMarshal.Read<ulong>(stats[32..]);
        return (long)Math.Min(available * fragment, long.MaxValue);
    }

    /// <summary>Whether this user may create files in <paramref name="folder"/>; elsewhere than Unix, whether it exists.</summary>
    public static bool IsWritableFolder(string folder) =>
        OperatingSystem.IsWindows() ? Directory.Exists(folder) : Access(folder, WriteAndSearch) == 0;

    [LibraryImport("libc", EntryPoint = "statvfs", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatVfs(string path, Span<byte> stats);

    [LibraryImport("libc", EntryPoint = "access", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);
}
