using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.IO;
using ForensicPipe.Devices.Interop;
using ForensicPipe.Devices.Listing;
using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Devices;

/// <summary>Linux: <c>open(2)</c> with <c>O_RDONLY</c> only, size and sector sizes by ioctl, <c>pread</c>.</summary>
public sealed partial class BlockDevice
{
    [SupportedOSPlatform("linux")]
    private static unsafe BlockDevice OpenLinux(string path, bool directIo)
    {
        // Look before opening: open(2) of a FIFO blocks until a writer comes, and a tty may become the
        // controlling terminal. Only a block device or a regular file is an image source.
        byte* status = stackalloc byte[LinuxNative.StatxSize];
        if (LinuxNative.Statx(LinuxNative.AtCurrentDirectory, path, 0, LinuxNative.StatxBasicStats, status) != 0)
        {
            throw new ForensicPipeException($"{path}: cannot open the source: {Errno.Describe(Marshal.GetLastPInvokeError())}");
        }
        CheckType(path, status);

        const int flags = LinuxNative.ReadOnly | LinuxNative.CloseOnExec | LinuxNative.NoControllingTerminal;
        bool direct = directIo;
        string readMode = directIo ? "direct (O_DIRECT)" : "buffered (direct I/O not asked for)";
        int descriptor = LinuxNative.Open(path, flags | (direct ? LinuxNative.DirectFlag : 0));
        if (descriptor < 0 && direct && Marshal.GetLastPInvokeError() == Errno.EINVAL)
        {
            direct = false;
            readMode = "buffered: O_DIRECT refused at open (EINVAL)";
            descriptor = LinuxNative.Open(path, flags);
        }
        if (descriptor < 0)
        {
            throw new ForensicPipeException($"{path}: cannot open the source read-only: {Errno.Describe(Marshal.GetLastPInvokeError())}");
        }
        var handle = new SafeFileHandle((nint)descriptor, ownsHandle: true);
        try
        {
            // The type again, of what was opened: the path may have changed in between.
            if (LinuxNative.Statx(descriptor, "", LinuxNative.AtEmptyPath, LinuxNative.StatxBasicStats, status) != 0)
            {
                throw new ForensicPipeException($"{path}: cannot stat the opened source: {Errno.Describe(Marshal.GetLastPInvokeError())}");
            }
            bool isBlock = CheckType(path, status);
            if (!isBlock)
            {
                long length = (long)BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(status + LinuxNative.StatxSizeOffset, 8));
                var identity = new JsonObject { ["path"] = System.IO.Path.GetFullPath(path) };
                return new BlockDevice(System.IO.Path.GetFullPath(path), handle, false, length, FileSectorSize, FileSectorSize, direct, readMode, identity);
            }
            ulong size;
            int logical, physical;
            if (LinuxNative.IoctlUInt64(descriptor, LinuxNative.BlkGetSize64, &size) != 0
                || LinuxNative.IoctlInt32(descriptor, LinuxNative.BlkSszGet, &logical) != 0
                || LinuxNative.IoctlInt32(descriptor, LinuxNative.BlkPbszGet, &physical) != 0)
            {
                throw new ForensicPipeException($"{path}: cannot read the device's size and sector size: {Errno.Describe(Marshal.GetLastPInvokeError())}");
            }
            uint major = *(uint*)(status + LinuxNative.StatxRdevMajorOffset);
            uint minor = *(uint*)(status + LinuxNative.StatxRdevMinorOffset);
            JsonObject device = SysBlock.IdentityOf(major, minor) ?? new JsonObject();
            device["path"] = path;
            device["deviceNumber"] = $"{major}:{minor}";
            return new BlockDevice(path, handle, true, (long)size, logical, physical, direct, readMode, device);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    [SupportedOSPlatform("linux")]
    private static unsafe bool IsBlockDeviceLinux(string path)
    {
        byte* status = stackalloc byte[LinuxNative.StatxSize];
        return LinuxNative.Statx(LinuxNative.AtCurrentDirectory, path, 0, LinuxNative.StatxBasicStats, status) == 0
            && (BinaryPrimitives.ReadUInt16LittleEndian(new ReadOnlySpan<byte>(status + LinuxNative.StatxModeOffset, 2)) & LinuxNative.FileTypeMask)
                == LinuxNative.BlockDeviceType;
    }

    [SupportedOSPlatform("linux")]
    private static unsafe bool IsFileSourceInputLinux(string path)
    {
        byte* status = stackalloc byte[LinuxNative.StatxSize];
        if (LinuxNative.Statx(LinuxNative.AtCurrentDirectory, path, 0, LinuxNative.StatxBasicStats, status) != 0)
        {
            return true;
        }
        int type = BinaryPrimitives.ReadUInt16LittleEndian(new ReadOnlySpan<byte>(status + LinuxNative.StatxModeOffset, 2)) & LinuxNative.FileTypeMask;
        return type is LinuxNative.RegularFileType or LinuxNative.FifoType;
    }

    [SupportedOSPlatform("linux")]
    private static unsafe bool CheckType(string path, byte* status)
    {
        int type = BinaryPrimitives.ReadUInt16LittleEndian(new ReadOnlySpan<byte>(status + LinuxNative.StatxModeOffset, 2)) & LinuxNative.FileTypeMask;
        return type switch
        {
            LinuxNative.BlockDeviceType => true,
            LinuxNative.RegularFileType => false,
            _ => throw new ForensicPipeException($"{path}: not a block device or regular file but {TypeName(type)}"),
        };
    }

    [SupportedOSPlatform("linux")]
    private static string TypeName(int type) => type switch
    {
        LinuxNative.DirectoryType => "a directory",
        LinuxNative.CharacterDeviceType => "a character device",
        LinuxNative.FifoType => "a FIFO (use the file source, type \"file\", for pipes)",
        LinuxNative.SocketType => "a socket",
        _ => $"file type 0x{type:x}",
    };

    [SupportedOSPlatform("linux")]
    private DeviceReadResult ReadLinux(long offset, Span<byte> destination)
    {
        // Holding a reference keeps the descriptor number from being closed and reused while a read runs.
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            return ReadLinux((int)_handle.DangerousGetHandle(), offset, destination);
        }
        catch (ObjectDisposedException)
        {
            return DeviceReadResult.Fail(new DeviceReadError(Errno.ENODEV, "closed (the source was disposed)", DeviceErrorKind.Gone));
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
    private unsafe DeviceReadResult ReadLinux(int descriptor, long offset, Span<byte> destination)
    {
        fixed (byte* address = destination)
        {
            // Direct reads need offset, length and address aligned to the logical sector; the rest (the
            // tail of a file whose length is not a multiple of it) goes through the page cache.
            bool aligned = offset % LogicalSectorSize == 0 && destination.Length % LogicalSectorSize == 0
                && (nuint)address % (nuint)LogicalSectorSize == 0;
            if (_directAvailable && aligned != _directOn)
            {
                _directOn = DirectIo.TrySet(_handle, aligned) ? aligned : _directOn;
            }
            while (true)
            {
                nint count = LinuxNative.PositionalRead(descriptor, address, (nuint)destination.Length, offset);
                if (count >= 0)
                {
                    _directProven |= _directOn;
                    return DeviceReadResult.Ok((int)count);
                }
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR)
                {
                    continue;
                }
                if (errno == Errno.EINVAL && _directOn && !_directProven && DirectIo.TrySet(_handle, direct: false))
                {
                    // Some file systems accept O_DIRECT at open and refuse it at the first read.
                    _directAvailable = _directOn = false;
                    ReadMode = "buffered: O_DIRECT reads refused (EINVAL)";
                    continue;
                }
                return DeviceReadResult.Fail(Errno.Describe(errno));
            }
        }
    }

    [SupportedOSPlatform("linux")]
    private unsafe long? QuerySizeLinux()
    {
        int descriptor = (int)_handle.DangerousGetHandle();
        if (IsBlockDevice)
        {
            ulong size;
            return LinuxNative.IoctlUInt64(descriptor, LinuxNative.BlkGetSize64, &size) == 0 ? (long)size : null;
        }
        byte* status = stackalloc byte[LinuxNative.StatxSize];
        return LinuxNative.Statx(descriptor, "", LinuxNative.AtEmptyPath, LinuxNative.StatxBasicStats, status) == 0
            ? (long)BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(status + LinuxNative.StatxSizeOffset, 8))
            : null;
    }
}
