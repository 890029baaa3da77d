using System.Diagnostics;

namespace BatchJob.Tests.Support;

/// <summary>
/// A tmpfs of a few kilobytes (or a read-only one), mounted for one test and unmounted after: a
/// real full or read-only device, not a stand-in. Needs root with CAP_SYS_ADMIN (the dev container
/// has it); elsewhere the test is reported skipped, with this reason, never silently passed.
/// </summary>
internal sealed class SmallVolume : IDisposable
{
    private SmallVolume(string path) => Path = path;

    public string Path { get; }

    /// <param name="options">mount -o options, e.g. <c>size=64k</c> or <c>ro</c>.</param>
    public static SmallVolume Mount(string options)
    {
        var path = Directory.CreateTempSubdirectory("batchjob-volume-").FullName;
        var (code, error) = Run("mount", "-t", "tmpfs", "-o", options, "tmpfs", path);
        Skip.If(code != 0, $"cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN): {error}");
        return new SmallVolume(path);
    }

    /// <summary>Changes the mount's options in place (tmpfs: size, nr_inodes), files kept: the disk an operator just made room on.</summary>
    public void Remount(string options)
    {
        var (code, error) = Run("mount", "-o", "remount," + options, Path);
        if (code != 0)
        {
            throw new InvalidOperationException($"remount of {Path} failed: {error}");
        }
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        Directory.Delete(Path);
    }

    private static (int Code, string Error) Run(string file, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, UseShellExecute = false })!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error.Trim());
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
