using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using ForensicPipe.Core.IO;
using ForensicPipe.Devices.Interop;
using ForensicPipe.Devices.Listing;
using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Devices.Restore;

/// <summary>Linux: mount checks from <c>/proc/self/mountinfo</c> and sysfs, <c>open(2)</c> with
/// <c>O_RDWR | O_EXCL | O_DIRECT</c>, <c>pwrite</c>, <c>fsync</c>, <c>BLKFLSBUF</c>.</summary>
internal sealed partial class BlockTarget
{
    /// <summary>What <paramref name="path"/> is (device number, its disk, or file identity); null when it
    /// cannot be looked at (missing, not a device or file).</summary>
    public static TargetIdentity? IdentityOf(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        return UnixFile.TryGetStatus(path, out UnixFileStatus status, out _) ? IdentityOf(status) : null;
    }

    private static TargetIdentity? IdentityOf(UnixFileStatus status)
    {
        if (status.Kind == UnixFileKind.BlockDevice)
        {
            string number = $"{status.RdevMajor}:{status.RdevMinor}";
            return new TargetIdentity(number, WholeDiskOf(number), null);
        }
        if (status.Kind == UnixFileKind.Regular)
        {
            return new TargetIdentity(null, null, $"{status.DevMajor}:{status.DevMinor}:{status.Inode}");
        }
        return null;
    }

    /// <summary>The sysfs folder of a block device (<c>/sys/dev/block/MAJ:MIN</c> resolved), or null.</summary>
    private static string? SysfsFolderOf(string deviceNumber)
    {
        string link = $"/sys/dev/block/{deviceNumber}";
        try
        {
            return Directory.Exists(link) ? new DirectoryInfo(link).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? link : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string? WholeDiskOf(string deviceNumber)
    {
        string? folder = SysfsFolderOf(deviceNumber);
        return folder is not null && File.Exists(System.IO.Path.Combine(folder, "partition"))
            ? SysBlock.Attribute(System.IO.Path.GetDirectoryName(folder)!, "dev")
            : null;
    }

    [SupportedOSPlatform("linux")]
    private static unsafe BlockTarget OpenLinux(string path, bool allowFile)
    {
        if (!UnixFile.TryGetStatus(path, out UnixFileStatus status, out int statusErrno))
        {
            throw new TargetRefusedException($"{path}: cannot look at the target: {Errno.Describe(statusErrno)}");
        }
        bool isBlock = status.Kind == UnixFileKind.BlockDevice;
        if (!isBlock && !(allowFile && status.Kind == UnixFileKind.Regular))
        {
            throw new TargetRefusedException(status.Kind == UnixFileKind.Regular
                ? $"{path} is not a block device but a regular file; set \"allowFile\": true to restore into it in place (or restore to a raw file with the raw-file sink)"
                : $"{path} is not a block device");
        }
        TargetIdentity identity = IdentityOf(status)!;
        if (isBlock)
        {
            RefuseMounted(path, identity.DeviceNumber!, MountInfo.ReadCurrent(), SysfsFolderOf(identity.DeviceNumber!));
        }

        // O_EXCL on a block device is the kernel's own "in use" test: it fails with EBUSY while the device
        // or one of its partitions is mounted, used as swap, or held by device-mapper, md or another
        // exclusive opener.
        int flags = LinuxNative.ReadWrite | LinuxNative.CloseOnExec | LinuxNative.NoControllingTerminal | (isBlock ? LinuxNative.Exclusive : 0);
        bool direct = true;
        int descriptor = LinuxNative.Open(path, flags | DirectIo.OpenFlag);
        if (descriptor < 0 && Marshal.GetLastPInvokeError() == Errno.EINVAL)
        {
            direct = false;
            descriptor = LinuxNative.Open(path, flags);
        }
        if (descriptor < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new TargetRefusedException(errno == Errno.EBUSY
                ? $"{path} is in use (mounted, a mounted partition, swap, or held by device-mapper, md or another program): refusing to write to it"
                : $"{path}: cannot open the target for writing: {Errno.Describe(errno)}");
        }
        var handle = new SafeFileHandle((nint)descriptor, ownsHandle: true);
        try
        {
            long size;
            int logical;
            if (isBlock)
            {
                int sector;
                if (!UnixFile.TryGetBlockDeviceSize(handle, out size, out int sizeErrno))
                {
                    throw SizesUnreadable(path, sizeErrno);
                }
                if (LinuxNative.IoctlInt32(descriptor, LinuxNative.BlkSszGet, &sector) != 0)
                {
                    throw SizesUnreadable(path, Marshal.GetLastPInvokeError());
                }
                logical = sector;
            }
            else
            {
                size = RandomAccess.GetLength(handle);
                logical = Devices.BlockDevice.FileSectorSize;
            }
            JsonObject details = (isBlock ? SysBlockIdentity(identity.DeviceNumber!) : null) ?? new JsonObject();
            details["path"] = path;
            if (identity.DeviceNumber is not null)
            {
                details["deviceNumber"] = identity.DeviceNumber;
            }
            return new BlockTarget(path, handle, isBlock, size, logical, direct, details, identity);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static TargetRefusedException SizesUnreadable(string path, int errno) =>
        new($"{path}: cannot read the target's size and sector size: {Errno.Describe(errno)}");

    private static JsonObject? SysBlockIdentity(string deviceNumber)
    {
        string[] parts = deviceNumber.Split(':');
        return SysBlock.IdentityOf(uint.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture),
            uint.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Refuses a device that is mounted, or whose partition is, naming where; and one held by another
    /// block device (sysfs <c>holders</c>: device-mapper, md, LVM).</summary>
    /// <param name="path">The target as given.</param>
    /// <param name="deviceNumber">Its <c>major:minor</c>.</param>
    /// <param name="mounts">The mount table.</param>
    /// <param name="folder">Its sysfs folder (partitions and <c>holders</c> below it), or null.</param>
    internal static void RefuseMounted(string path, string deviceNumber, IReadOnlyList<MountEntry> mounts, string? folder)
    {
        if (mounts.FirstOrDefault(m => m.DeviceNumber == deviceNumber) is MountEntry mount)
        {
            throw new TargetRefusedException($"{path} is mounted at {mount.MountPoint}: unmount it before restoring onto it");
        }
        if (folder is null)
        {
            return;
        }
        foreach (string child in SafeSubfolders(folder))
        {
            if (File.Exists(System.IO.Path.Combine(child, "partition"))
                && SysBlock.Attribute(child, "dev") is string partition
                && mounts.FirstOrDefault(m => m.DeviceNumber == partition) is MountEntry partitionMount)
            {
                throw new TargetRefusedException(
                    $"{path} has a mounted partition ({System.IO.Path.GetFileName(child)} at {partitionMount.MountPoint}): unmount it before restoring onto the device");
            }
        }
        string[] holders = SafeSubfolders(System.IO.Path.Combine(folder, "holders"));
        if (holders.Length > 0)
        {
            throw new TargetRefusedException(
                $"{path} is in use by {string.Join(", ", holders.Select(System.IO.Path.GetFileName))}: refusing to write to it");
        }
    }

    private static string[] SafeSubfolders(string folder)
    {
        try
        {
            return Directory.Exists(folder) ? Directory.GetDirectories(folder) : [];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    [SupportedOSPlatform("linux")]
    private unsafe void WriteLinux(long offset, ReadOnlySpan<byte> data)
    {
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            int descriptor = (int)_handle.DangerousGetHandle();
            fixed (byte* address = data)
            {
                _direct.Prepare(offset, data.Length, address);
                int done = 0;
                while (done < data.Length)
                {
                    nint count = LinuxNative.PositionalWrite(descriptor, address + done, (nuint)(data.Length - done), offset + done);
                    if (count > 0)
                    {
                        done += (int)count;
                        continue;
                    }
                    int errno = count == 0 ? Errno.ENOSPC : Marshal.GetLastPInvokeError();
                    if (errno == Errno.EINTR)
                    {
                        continue;
                    }
                    throw new IOException($"write of {data.Length} bytes at byte {offset + done} failed: {Errno.Describe(errno)}");
                }
                _direct.Transferred(data.Length);
            }
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    [SupportedOSPlatform("linux")]
    private unsafe int ReadLinux(long offset, Span<byte> destination)
    {
        int descriptor = (int)_handle.DangerousGetHandle();
        fixed (byte* address = destination)
        {
            _direct.Prepare(offset, destination.Length, address);
            while (true)
            {
                nint count = LinuxNative.PositionalRead(descriptor, address, (nuint)destination.Length, offset);
                if (count >= 0)
                {
                    return (int)count;
                }
                int errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.EINTR)
                {
                    throw new IOException($"read-back of {destination.Length} bytes at byte {offset} failed: {Errno.Describe(errno)}");
                }
            }
        }
    }

    [SupportedOSPlatform("linux")]
    private void FlushLinux()
    {
        if (LinuxNative.Fsync((int)_handle.DangerousGetHandle()) != 0)
        {
            throw new IOException($"fsync failed: {Errno.Describe(Marshal.GetLastPInvokeError())}");
        }
    }

    [SupportedOSPlatform("linux")]
    private bool DropCacheLinux() =>
        IsBlockDevice && LinuxNative.IoctlNone((int)_handle.DangerousGetHandle(), LinuxNative.BlkFlsBuf, 0) == 0;
}
