using System.Text.Json.Nodes;
using ForensicPipe.Core.IO;
using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Devices.Restore;

/// <summary>
/// A restore target opened for writing: a block device opened exclusively (so a mounted or otherwise
/// claimed device is refused by the kernel as well as by our own checks), or a regular file when the job
/// allows it. Writes sector-aligned pieces with direct I/O and the rest through the page cache. The OS
/// parts live in <c>BlockTarget.Linux.cs</c> and <c>BlockTarget.Windows.cs</c>; restore runs on Linux only.
/// </summary>
internal sealed partial class BlockTarget : IBlockTarget
{
    private readonly SafeFileHandle _handle;
    private readonly JsonObject _identity;
    private readonly DirectIoSwitch _direct;

    private BlockTarget(string path, SafeFileHandle handle, bool isBlockDevice, long size, int logicalSectorSize,
        bool direct, JsonObject identity, TargetIdentity id)
    {
        Path = path;
        _handle = handle;
        IsBlockDevice = isBlockDevice;
        Size = size;
        LogicalSectorSize = logicalSectorSize;
        _direct = new DirectIoSwitch(handle, logicalSectorSize, direct);
        _identity = identity;
        Identity = id;
    }

    /// <inheritdoc />
    public string Path { get; }

    /// <inheritdoc />
    public bool IsBlockDevice { get; }

    /// <inheritdoc />
    public long Size { get; }

    /// <inheritdoc />
    public int LogicalSectorSize { get; }

    /// <inheritdoc />
    public long DirectBytes => _direct.DirectBytes;

    /// <summary>Device number or file identity, to recognise the job's own source.</summary>
    public TargetIdentity Identity { get; }

    /// <summary>Opens <paramref name="path"/> for restoring, after refusing what may not be written: a path
    /// that is missing or not a block device (unless <paramref name="allowFile"/> and it is a regular file),
    /// a mounted device or one with a mounted partition, a device in use. Throws
    /// <see cref="TargetRefusedException"/> with a one-line reason.</summary>
    public static BlockTarget Open(string path, bool allowFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsLinux())
        {
            return OpenLinux(path, allowFile);
        }
        return OpenOther(path);
    }

    /// <inheritdoc />
    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        if (OperatingSystem.IsLinux())
        {
            WriteLinux(offset, data);
            return;
        }
        throw new PlatformNotSupportedException();
    }

    /// <inheritdoc />
    public int Read(long offset, Span<byte> destination)
    {
        if (OperatingSystem.IsLinux())
        {
            return ReadLinux(offset, destination);
        }
        throw new PlatformNotSupportedException();
    }

    /// <inheritdoc />
    public void Flush()
    {
        if (OperatingSystem.IsLinux())
        {
            FlushLinux();
            return;
        }
        throw new PlatformNotSupportedException();
    }

    /// <inheritdoc />
    public bool DropCache() => OperatingSystem.IsLinux() && DropCacheLinux();

    /// <inheritdoc />
    public JsonObject Describe()
    {
        var details = (JsonObject)_identity.DeepClone();
        details["kind"] = IsBlockDevice ? "block device" : "regular file";
        details["size"] = Size;
        details["logicalSectorSize"] = LogicalSectorSize;
        details["access"] = IsBlockDevice ? "read-write, exclusive (O_EXCL)" : "read-write";
        details["directIo"] = _direct.Available ? "used for sector-aligned pieces" : "refused; page cache used";
        return details;
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();
}
