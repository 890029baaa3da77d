using BatchJob.Output;

namespace BatchJob.Tests.Output;

public sealed class FileStatusTests
{
    [Fact]
    public void Kind_identity_and_mount_points_are_read_from_the_file_system()
    {
        var dir = Directory.CreateTempSubdirectory("batchjob-status-").FullName;
        var file = Path.Combine(dir, "a.jsonl");
        File.WriteAllText(file, "x");
        var link = File.CreateSymbolicLink(Path.Combine(dir, "link"), file).FullName;

        var status = FileStatus.Of(file, followLinks: false)!.Value;
        status.IsRegularFile.Should().BeTrue();
        status.IsMountRoot.Should().BeFalse();
        FileStatus.Of(link, followLinks: false)!.Value.IsSymbolicLink.Should().BeTrue();
        FileStatus.Of(link, followLinks: true)!.Value.IsSameFile(status).Should().BeTrue();
        FileStatus.Of(dir, followLinks: false)!.Value.IsSameFile(status).Should().BeFalse();
        FileStatus.Of(dir, followLinks: false)!.Value.IsFolder.Should().BeTrue();
        FileStatus.Of("/dev/null", followLinks: false)!.Value.Kind.Should().Be("a character device");
        FileStatus.Of("/proc", followLinks: false)!.Value.IsMountRoot.Should().BeTrue("procfs is mounted there");
        FileStatus.Of(Path.Combine(dir, "missing"), followLinks: false).Should().BeNull();
    }
}
