using System.Globalization;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Devices.Tests.TestSupport;

namespace ForensicPipe.Devices.Tests;

/// <summary>The real Linux device path on loop devices (as root) and on files and non-devices.</summary>
public class BlockDeviceTests
{
    private const int AccessModeMask = 3;   // O_ACCMODE; O_RDONLY is 0

    private static int DirectFlag => System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture
        is System.Runtime.InteropServices.Architecture.Arm64 ? 0x10000 : 0x4000;

    private static string NewBackingFile(TempDirectory directory, int bytes, int seed)
    {
        string path = directory.File("backing.img");
        File.WriteAllBytes(path, DeviceJob.RandomBytes(bytes, seed));
        return path;
    }

    /// <summary>The open flags of one of this process's descriptors, from /proc/self/fdinfo (octal).</summary>
    private static int OpenFlags(int descriptor)
    {
        string line = File.ReadAllLines($"/proc/self/fdinfo/{descriptor}").Single(l => l.StartsWith("flags:", StringComparison.Ordinal));
        return Convert.ToInt32(line["flags:".Length..].Trim(), 8);
    }

    [Theory]
    [InlineData(512)]
    [InlineData(4096)]
    public void Open_LoopDevice_SizeAndSectorSizesFromTheIoctls(int sectorSize)
    {
        using var directory = new TempDirectory();
        string backing = NewBackingFile(directory, 3 << 20, 1);
        using (LoopDevice loop = LoopDevice.Attach(backing, sectorSize))
        using (BlockDevice device = BlockDevice.Open(loop.Path))
        {
            Assert.True(device.IsBlockDevice);
            Assert.Equal(3L << 20, device.ReportedSize);
            Assert.Equal(sectorSize, device.LogicalSectorSize);
            Assert.True(device.PhysicalSectorSize >= sectorSize);
            Assert.Equal("loop", (string?)device.Describe()["transport"]);
            Assert.Equal(backing, (string?)device.Describe()["backingFile"]);
            Assert.True(BlockDevice.IsDevicePath(loop.Path));
        }
        Assert.Equal("", LoopDevice.AttachedTo(backing));
    }

    [Fact]
    public void Open_LoopDevice_DescriptorIsReadOnlyAndDirectPerFdinfo()
    {
        using var directory = new TempDirectory();
        string backing = NewBackingFile(directory, 1 << 20, 2);
        using LoopDevice loop = LoopDevice.Attach(backing);
        using BlockDevice device = BlockDevice.Open(loop.Path);

        int flags = OpenFlags((int)device.Handle.DangerousGetHandle());

        Assert.Equal(0, flags & AccessModeMask);
        Assert.NotEqual(0, flags & DirectFlag);
        Assert.Equal("direct (O_DIRECT)", device.ReadMode);
    }

    [Fact]
    public async Task DeviceSource_WhileReadingALoopDevice_EveryDescriptorOnItIsReadOnly()
    {
        using var directory = new TempDirectory();
        string backing = NewBackingFile(directory, 4 << 20, 3);
        using LoopDevice loop = LoopDevice.Attach(backing);
        int? flagsSeen = null;
        JobComponents components = new JobComponents().RegisterSourceWithContext<DeviceSourceSpec>((spec, context) =>
            new DeviceSource(spec.Path, DeviceComponents.OptionsOf(spec, context), () =>
            {
                BlockDevice device = BlockDevice.Open(spec.Path);
                flagsSeen = OpenFlags((int)device.Handle.DangerousGetHandle());
                return device;
            }));
        var job = new JobSpec
        {
            Source = new DeviceSourceSpec { Path = loop.Path },
            Stages = [new HashStageSpec { Algorithms = ["sha256"] }],
            Sinks = [new RawFileSinkSpec { Path = "out.raw" }],
        };

        JobResult result = await new JobRunner(job, new JobContext(directory.Path, "test", directory.File("r.json")), components).RunAsync(default);

        Assert.Equal(JobStatus.Succeeded, result.Status);
        Assert.Equal(0, flagsSeen!.Value & AccessModeMask);
        Assert.Equal(ExternalTool.Digest("sha256", backing), result.Digests["sha256"]);
        Assert.Equal(await File.ReadAllBytesAsync(backing), await File.ReadAllBytesAsync(directory.File("out.raw")));
    }

    [Fact]
    public async Task DeviceSource_LoopDeviceWithInjectedBadSectorAndHiddenTail_OffsetsKeptTailProbed()
    {
        using var directory = new TempDirectory();
        string backing = NewBackingFile(directory, 2 << 20, 4);
        using LoopDevice loop = LoopDevice.Attach(backing, 4096);
        var device = new FaultyBlockDevice(BlockDevice.Open(loop.Path)) { ReportedSectors = 500 };
        device.BadSectors.Add(9);

        DeviceJob job = await DeviceJob.RunAsync(directory, device, new DeviceSourceSpec { Path = loop.Path }, fill: "zero");

        Assert.Equal(JobStatus.Succeeded, job.Result.Status);
        byte[] expected = DeviceJob.WithFill(await File.ReadAllBytesAsync(backing), [9], 4096, [0]);
        Assert.Equal(expected, await File.ReadAllBytesAsync(directory.File("out.raw")));
        Assert.Equal(512 - 500, (long)job.AfterRun["unreportedSectors"]!);
        Assert.Equal(9, (long)job.AfterRun["badRanges"]![0]!["firstSector"]!);
        Assert.Equal("direct (O_DIRECT)", (string?)job.AfterRun["readMode"]);
    }

    [Fact]
    public void Open_RegularFile_SameSourceWithFileSizeAndTail()
    {
        using var directory = new TempDirectory();
        string path = NewBackingFile(directory, 5000, 5);
        using BlockDevice device = BlockDevice.Open(path);
        var buffer = new byte[8192];

        DeviceReadResult result = device.Read(4096, buffer);

        Assert.False(device.IsBlockDevice);
        Assert.Equal(5000, device.ReportedSize);
        Assert.Equal(BlockDevice.FileSectorSize, device.LogicalSectorSize);
        Assert.Equal(904, result.Bytes);
        Assert.False(BlockDevice.IsDevicePath(path));
    }

    [Theory]
    [InlineData("/dev/null", "not a block device or regular file but a character device")]
    [InlineData("/tmp", "not a block device or regular file but a directory")]
    [InlineData("/no/such/device", "cannot open the source: ENOENT")]
    public void Open_NotADeviceOrFile_OneLineError(string path, string expected)
    {
        var error = Assert.Throws<ForensicPipeException>(() => BlockDevice.Open(path));
        Assert.StartsWith($"{path}: {expected}", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Open_Fifo_RefusedWithoutWaitingForAWriter()
    {
        using var directory = new TempDirectory();
        string fifo = directory.File("pipe");
        ExternalTool.Run("mkfifo", fifo);

        ForensicPipeException error = await Task.Run(() => Assert.Throws<ForensicPipeException>(() => BlockDevice.Open(fifo)))
            .WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Contains("a FIFO", error.Message);
    }

    [Fact]
    public void Errno_PermissionDenied_IsARefusalNamedWithItsText()
    {
        // Root may open anything: the unprivileged open is checked as nobody in the CLI tests.
        DeviceReadError error = Interop.Errno.Describe(Interop.Errno.EACCES);
        Assert.Equal(DeviceErrorKind.Refused, error.Kind);
        Assert.StartsWith("EACCES (Permission denied)", error.Name);
    }

    [Fact]
    public void LoopDevice_Dispose_DetachesWhatItAttached()
    {
        using var directory = new TempDirectory();
        string backing = NewBackingFile(directory, 1 << 20, 6);
        string path;
        using (LoopDevice loop = LoopDevice.Attach(backing))
        {
            path = loop.Path;
            Assert.Contains(path, LoopDevice.AttachedTo(backing));
        }
        Assert.Equal("", LoopDevice.AttachedTo(backing));
        Assert.DoesNotContain(backing, ExternalTool.Run("losetup", "-a"));
        Assert.StartsWith("/dev/loop", path, StringComparison.Ordinal);
        Assert.True(int.TryParse(path["/dev/loop".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out _));
    }
}
