using System.Globalization;
using System.Runtime.Versioning;
using ForensicPipe.Core.IO;
using ForensicPipe.Core.Tests.TestSupport;
using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Core.Tests.IO;

/// <summary>statx and BLKGETSIZE64 on real files, a FIFO, /dev/null and a loop device (as root), checked
/// against stat(1) and sysfs.</summary>
[SupportedOSPlatform("linux")]
public class UnixFileTests
{
    private const int NoSuchFile = 2;       // ENOENT
    private const int BadDescriptor = 9;    // EBADF
    private const int NotATypewriter = 25;  // ENOTTY: the ioctl does not apply to this kind of file

    private static string NewFile(TempDirectory directory, string name, int length)
    {
        string path = directory.File(name);
        File.WriteAllBytes(path, new byte[length]);
        return path;
    }

    [Fact]
    public void GetKind_RegularFile_Regular()
    {
        using var directory = new TempDirectory();
        string path = NewFile(directory, "plain.bin", 3);

        Assert.Equal(UnixFileKind.Regular, UnixFile.GetKind(path));
    }

    [Fact]
    public void GetKind_Directory_Directory()
    {
        using var directory = new TempDirectory();

        Assert.Equal(UnixFileKind.Directory, UnixFile.GetKind(directory.Path));
    }

    [Fact]
    public async Task GetKind_FifoWithoutWriter_FifoWithoutBlocking()
    {
        using var directory = new TempDirectory();
        string fifo = directory.File("pipe");
        ExternalTool.Run("/usr/bin/mkfifo", fifo);

        Task<UnixFileKind> kind = Task.Run(() => UnixFile.GetKind(fifo));
        bool finished = await Task.WhenAny(kind, Task.Delay(TimeSpan.FromSeconds(10))) == kind;
        if (!finished)
        {
            // Opening the FIFO blocked for want of a writer: be the writer, so the stuck thread ends.
            using SafeFileHandle writer = File.OpenHandle(fifo, FileMode.Open, FileAccess.Write);
        }

        Assert.True(finished, "GetKind waited on the FIFO: it opened it instead of looking at it");
        Assert.Equal(UnixFileKind.Fifo, await kind);
    }

    [Fact]
    public void GetKind_DevNull_CharacterDevice()
    {
        Assert.Equal(UnixFileKind.CharacterDevice, UnixFile.GetKind("/dev/null"));
    }

    [Fact]
    public void GetKind_MissingPath_MissingAndStatusGivesEnoent()
    {
        using var directory = new TempDirectory();
        string path = directory.File("absent");

        Assert.Equal(UnixFileKind.Missing, UnixFile.GetKind(path));
        Assert.False(UnixFile.TryGetStatus(path, out UnixFileStatus status, out int errno));
        Assert.Equal(NoSuchFile, errno);
        Assert.Equal(default, status);
    }

    [Fact]
    public void TryGetStatus_OpenHandle_SizeInodeAndDeviceAsStatSays()
    {
        using var directory = new TempDirectory();
        string path = NewFile(directory, "sized.bin", 12_345);
        string[] stat = ExternalTool.Run("stat", "-c", "%s %i %Hd %Ld", path).Split(' ', StringSplitOptions.TrimEntries);
        using SafeFileHandle handle = File.OpenHandle(path);

        Assert.True(UnixFile.TryGetStatus(handle, out UnixFileStatus status, out int errno));

        Assert.Equal(0, errno);
        Assert.Equal(UnixFileKind.Regular, status.Kind);
        Assert.Equal(12_345L, status.Size);
        Assert.Equal(long.Parse(stat[0], CultureInfo.InvariantCulture), status.Size);
        Assert.Equal(ulong.Parse(stat[1], CultureInfo.InvariantCulture), status.Inode);
        Assert.Equal(uint.Parse(stat[2], CultureInfo.InvariantCulture), status.DevMajor);
        Assert.Equal(uint.Parse(stat[3], CultureInfo.InvariantCulture), status.DevMinor);
        Assert.Equal(status, UnixFile.TryGetStatus(path, out UnixFileStatus byPath, out _) ? byPath : default);
    }

    [Fact]
    public void TryGetStatus_DevNull_DeviceNumberAsStatSays()
    {
        string[] number = ExternalTool.Run("stat", "-c", "%Hr %Lr", "/dev/null").Split(' ', StringSplitOptions.TrimEntries);

        Assert.True(UnixFile.TryGetStatus("/dev/null", out UnixFileStatus status, out _));

        Assert.Equal(UnixFileKind.CharacterDevice, status.Kind);
        Assert.Equal(0x2000, status.FileType);
        Assert.Equal(uint.Parse(number[0], CultureInfo.InvariantCulture), status.RdevMajor);
        Assert.Equal(uint.Parse(number[1], CultureInfo.InvariantCulture), status.RdevMinor);
    }

    [Fact]
    public void TryGetStatus_ClosedHandle_FalseWithEbadf()
    {
        using var directory = new TempDirectory();
        string path = NewFile(directory, "closed.bin", 1);
        SafeFileHandle handle = File.OpenHandle(path);
        handle.Dispose();

        Assert.False(UnixFile.TryGetStatus(handle, out _, out int errno));
        Assert.Equal(BadDescriptor, errno);
        Assert.False(UnixFile.TryGetBlockDeviceSize(handle, out _, out errno));
        Assert.Equal(BadDescriptor, errno);
    }

    [Fact]
    public void TryGetBlockDeviceSize_RegularFile_FalseWithEnotty()
    {
        using var directory = new TempDirectory();
        string path = NewFile(directory, "not-a-device.bin", 4096);
        using SafeFileHandle handle = File.OpenHandle(path);

        Assert.False(UnixFile.TryGetBlockDeviceSize(handle, out long size, out int errno));
        Assert.Equal(NotATypewriter, errno);
        Assert.Equal(0, size);
    }

    [Fact]
    public void TryGetBlockDeviceSize_LoopDevice_BackingFileLengthAndSysfsDeviceNumber()
    {
        using var directory = new TempDirectory();
        string backing = NewFile(directory, "backing.img", 3 << 20);
        using (LoopDevice loop = LoopDevice.Attach(backing))
        {
            string[] sysfs = File.ReadAllText($"/sys/block/{Path.GetFileName(loop.Path)}/dev").Trim().Split(':');
            using SafeFileHandle handle = File.OpenHandle(loop.Path);

            Assert.Equal(UnixFileKind.BlockDevice, UnixFile.GetKind(loop.Path));
            Assert.True(UnixFile.TryGetBlockDeviceSize(handle, out long size, out int errno));
            Assert.Equal(0, errno);
            Assert.Equal(new FileInfo(backing).Length, size);
            Assert.True(UnixFile.TryGetStatus(handle, out UnixFileStatus status, out _));
            Assert.Equal(UnixFileKind.BlockDevice, status.Kind);
            Assert.Equal(uint.Parse(sysfs[0], CultureInfo.InvariantCulture), status.RdevMajor);
            Assert.Equal(uint.Parse(sysfs[1], CultureInfo.InvariantCulture), status.RdevMinor);
        }
        Assert.Equal("", LoopDevice.AttachedTo(backing));
    }
}
