using System.Text.Json.Nodes;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.IO;
using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Devices;

/// <summary>
/// A block device or regular file opened read-only for imaging — never with any access that can write,
/// because a source is evidence. Knows its OS-reported size and its logical and physical sector sizes, and
/// reads at absolute offsets with direct I/O where the OS allows it (into sector-aligned buffers). The OS
/// parts live in <c>BlockDevice.Linux.cs</c> and <c>BlockDevice.Windows.cs</c>.
/// </summary>
public sealed partial class BlockDevice : IBlockDevice
{
    /// <summary>Sector size assumed for a regular file (dd's default block, the smallest logical sector).</summary>
    public const int FileSectorSize = 512;

    private readonly SafeFileHandle _handle;
    private readonly JsonObject _identity;
    private readonly DirectIoSwitch _direct;
    private bool _directProven;

    private BlockDevice(string path, SafeFileHandle handle, bool isBlockDevice, long size, int logicalSectorSize,
        int physicalSectorSize, bool direct, string readMode, JsonObject identity)
    {
        Path = path;
        _handle = handle;
        IsBlockDevice = isBlockDevice;
        ReportedSize = size;
        LogicalSectorSize = logicalSectorSize;
        PhysicalSectorSize = physicalSectorSize;
        _direct = new DirectIoSwitch(handle, logicalSectorSize, direct);
        ReadMode = readMode;
        _identity = identity;
    }

    /// <inheritdoc />
    public string Path { get; }

    /// <summary>True for a block device, false for a regular file.</summary>
    public bool IsBlockDevice { get; }

    /// <inheritdoc />
    public long ReportedSize { get; }

    /// <inheritdoc />
    public int LogicalSectorSize { get; }

    /// <inheritdoc />
    public int PhysicalSectorSize { get; }

    /// <inheritdoc />
    public string ReadMode { get; private set; }

    /// <summary>Whether reads are direct (O_DIRECT / FILE_FLAG_NO_BUFFERING) at the moment.</summary>
    public bool UsesDirectIo => _direct.On;

    internal SafeFileHandle Handle => _handle;

    /// <summary>Opens <paramref name="path"/> read-only. Linux: a block device or regular file; Windows:
    /// <c>\\.\PhysicalDriveN</c>, a disk number, <c>E:</c> or a mount-point folder. Throws a
    /// <see cref="ForensicPipeException"/> with a one-line message when it is none of these, does not
    /// exist or may not be read.</summary>
    /// <param name="path">The device or file.</param>
    /// <param name="directIo">Ask for direct I/O; reads fall back to the page cache where it is refused.</param>
    public static BlockDevice Open(string path, bool directIo = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsLinux())
        {
            return OpenLinux(path, directIo);
        }
        if (OperatingSystem.IsWindows())
        {
            return OpenWindows(path, directIo);
        }
        throw new ForensicPipeException($"{path}: block devices can be read on Linux and Windows only");
    }

    /// <summary>Whether <paramref name="path"/> names a block device: on Linux a block special file, on
    /// Windows a disk number, drive letter or device name (a folder is a device only as a mount point).</summary>
    public static bool IsDevicePath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsLinux())
        {
            return IsBlockDeviceLinux(path);
        }
        if (OperatingSystem.IsWindows())
        {
            return Windows.WindowsDeviceName.Parse(path).Kind != Windows.WindowsDeviceNameKind.MountPoint || Directory.Exists(path);
        }
        return false;
    }

    /// <summary>Whether <paramref name="path"/> is for the raw-file source rather than this one: a regular file,
    /// a FIFO, or nothing at all (the file source then says that it is missing). Directories, character
    /// devices and sockets are not: the device source refuses them with a clear message.</summary>
    public static bool IsFileSourceInput(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsLinux())
        {
            return IsFileSourceInputLinux(path);
        }
        return !IsDevicePath(path);
    }

    /// <inheritdoc />
    public DeviceReadResult Read(long offset, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (OperatingSystem.IsLinux())
        {
            return ReadLinux(offset, destination);
        }
        if (OperatingSystem.IsWindows())
        {
            return ReadWindows(offset, destination);
        }
        throw new PlatformNotSupportedException();
    }

    /// <inheritdoc />
    public long? QueryCurrentSize()
    {
        if (OperatingSystem.IsLinux())
        {
            return QuerySizeLinux();
        }
        if (OperatingSystem.IsWindows())
        {
            return QuerySizeWindows();
        }
        return null;
    }

    /// <inheritdoc />
    public JsonObject Describe()
    {
        var details = (JsonObject)_identity.DeepClone();
        details["kind"] = IsBlockDevice ? "block device" : "regular file";
        details["osReportedSize"] = ReportedSize;
        details["logicalSectorSize"] = LogicalSectorSize;
        details["physicalSectorSize"] = PhysicalSectorSize;
        details["access"] = "read-only";
        return details;
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();
}
