using ForensicPipe.Devices.Listing;
using ForensicPipe.Devices.Restore;
using ForensicPipe.Devices.Tests.TestSupport;

namespace ForensicPipe.Devices.Tests.Restore;

/// <summary>The mount checks of a restore target over a sysfs-shaped folder. This kernel's loop driver makes
/// no partitions (<c>losetup -P</c> adds none) and has no device-mapper, so a mounted partition and a holder
/// cannot be made for real here; the mounted whole device is tested on a loop device in the CLI tests.</summary>
public sealed class MountRefusalTests : IDisposable
{
    private readonly TempDirectory _sysfs = new();

    public MountRefusalTests()
    {
        Directory.CreateDirectory(_sysfs.File("loop9p1"));
        File.WriteAllText(_sysfs.File("loop9p1/partition"), "1\n");
        File.WriteAllText(_sysfs.File("loop9p1/dev"), "259:3\n");
        Directory.CreateDirectory(_sysfs.File("holders"));
    }

    public void Dispose() => _sysfs.Dispose();

    [Fact]
    public void RefuseMounted_MountedPartition_NamesPartitionAndMountPoint()
    {
        TargetRefusedException refusal = Assert.Throws<TargetRefusedException>(() => BlockTarget.RefuseMounted("/dev/loop9", "7:9",
            [new MountEntry("259:3", "/mnt/evidence", "ext4", "/dev/loop9p1")], _sysfs.Path));
        Assert.Equal("/dev/loop9 has a mounted partition (loop9p1 at /mnt/evidence): unmount it before restoring onto the device", refusal.Message);
    }

    [Fact]
    public void RefuseMounted_MountedDevice_NamesMountPoint() =>
        Assert.Contains("mounted at /mnt/x", Assert.Throws<TargetRefusedException>(() => BlockTarget.RefuseMounted("/dev/loop9", "7:9",
            [new MountEntry("7:9", "/mnt/x", "ext4", "/dev/loop9")], _sysfs.Path)).Message, StringComparison.Ordinal);

    [Fact]
    public void RefuseMounted_Holder_Refused()
    {
        Directory.CreateDirectory(_sysfs.File("holders/dm-0"));
        Assert.Contains("in use by dm-0", Assert.Throws<TargetRefusedException>(() =>
            BlockTarget.RefuseMounted("/dev/loop9", "7:9", [], _sysfs.Path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefuseMounted_UnmountedPartitionsAndNoHolders_Accepted() =>
        BlockTarget.RefuseMounted("/dev/loop9", "7:9", [new MountEntry("8:1", "/", "ext4", "/dev/sda1")], _sysfs.Path);
}
