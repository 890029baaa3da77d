using System.Runtime.InteropServices;

namespace BatchJob.Output;

/// <summary>
/// What Linux's <c>statx</c> says about a path: its kind, its identity (device and inode, the same
/// for every name of one file: relative, absolute, through <c>..</c>, a symbolic or a hard link)
/// and whether a file system is mounted on it. .NET does not expose these, and the output checks need them.
/// </summary>
internal readonly partial record struct FileStatus(int Type, ulong Device, ulong Inode, bool IsMountRoot)
{
    private const int TypeMask = 0xF000;
    private const int RegularType = 0x8000;
    private const int FolderType = 0x4000;
    private const int SymbolicLinkType = 0xA000;
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint BasicStats = 0x7ff;
    private const ulong MountRootAttribute = 0x2000;

    public bool IsRegularFile => Type == RegularType;

    public bool IsFolder => Type == FolderType;

    public bool IsSymbolicLink => Type == SymbolicLinkType;

    public bool IsCharacterDevice => Type == 0x2000;

    /// <summary>The kind of file, for messages.</summary>
    public string Kind => Type switch
    {
        RegularType => "a regular file",
        FolderType => "a folder",
        SymbolicLinkType => "a symbolic link",
        0x2000 => "a character device",
        0x6000 => "a block device",
        0x1000 => "a FIFO (named pipe)",
        0xC000 => "a socket",
        _ => "not a regular file",
    };

    public bool IsSameFile(FileStatus other) => Device == other.Device && Inode == other.Inode;

    /// <summary>The status of <paramref name="path"/>, or null when nothing can be seen there (it does not
    /// exist, or a folder on the way is missing or closed to us) or the system has no <c>statx</c>.</summary>
    /// <param name="followLinks">False to describe a symbolic link itself rather than what it points to.</param>
    public static FileStatus? Of(string path, bool followLinks) =>
        Of(AtCurrentDirectory, path, followLinks ? 0 : AtSymlinkNoFollow);

    /// <summary>The status of the file open as <paramref name="descriptor"/> in this process (1: stdout), or null as above.</summary>
    public static FileStatus? OfDescriptor(int descriptor) => Of(descriptor, string.Empty, AtEmptyPath);

    private static FileStatus? Of(int directory, string path, int flags)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        // struct statx has one layout on every Linux architecture (unlike struct stat): offsets from linux/stat.h.
        Span<byte> statx = stackalloc byte[256];
        try
        {
            if (Statx(directory, path, flags, BasicStats, statx) != 0)
            {
                return null;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null; // a C library without statx (glibc before 2.28, older musl)
        }

        var attributes = MemoryMarshal.Read<ulong>(statx[8..]);
        var attributesKnown = MemoryMarshal.Read<ulong>(statx[56..]);
        return new FileStatus(
            MemoryMarshal.Read<ushort>(statx[28..]) & TypeMask,
            ((ulong)MemoryMarshal.Read<uint>(statx[136..]) << 32) | MemoryMarshal.Read<uint>(statx[140..]),
            Inode: MemoryMarshal.Read<ulong>(statx[32..]),
            IsMountRoot: (attributes & attributesKnown & MountRootAttribute) != 0);
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, Span<byte> statx);
}
