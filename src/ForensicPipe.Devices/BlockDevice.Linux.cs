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
        if (!UnixFile.TryGetStatus(path, out UnixFileStatus status, out int errno))
        {
            throw new ForensicPipeException($"{path}: cannot open the source: {Errno.Describe(errno)}");
        }
        CheckType(path, status);

        const int flags = LinuxNative.ReadOnly | LinuxNative.CloseOnExec | LinuxNative.NoControllingTerminal;
        bool direct = directIo;
        string readMode = directIo ? "direct (O_DIRECT)" : "buffered (direct I/O not asked for)";
        int descriptor = LinuxNative.Open(path, flags | (direct ? DirectIo.OpenFlag : 0));
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
            if (!UnixFile.TryGetStatus(handle, out status, out errno))
            {
                throw new ForensicPipeException($"{path}: cannot stat the opened source: {Errno.Describe(errno)}");
            }
            bool isBlock = CheckType(path, status);
            if (!isBlock)
            {
                var identity = new JsonObject { ["path"] = System.IO.Path.GetFullPath(path) };
                return new BlockDevice(System.IO.Path.GetFullPath(path), handle, false, status.Size, FileSectorSize, FileSectorSize, direct, readMode, identity);
            }
            if (!UnixFile.TryGetBlockDeviceSize(handle, out long size, out errno))
            {
                throw SizesUnreadable(path, errno);
            }
            int logical, physical;
            if (LinuxNative.IoctlInt32(descriptor, LinuxNative.BlkSszGet, &logical) != 0
                || LinuxNative.IoctlInt32(descriptor, LinuxNative.BlkPbszGet, &physical) != 0)
            {
                throw SizesUnreadable(path, Marshal.GetLastPInvokeError());
            }
            uint major = status.RdevMajor;
            uint minor = status.RdevMinor;
            JsonObject device = SysBlock.IdentityOf(major, minor) ?? new JsonObject();
            device["path"] = path;
            device["deviceNumber"] = $"{major}:{minor}";
            return new BlockDevice(path, handle, true, size, logical, physical, direct, readMode, device);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static ForensicPipeException SizesUnreadable(string path, int errno) =>
        new($"{path}: cannot read the device's size and sector size: {Errno.Describe(errno)}");

    [SupportedOSPlatform("linux")]
    private static bool IsBlockDeviceLinux(string path) => UnixFile.GetKind(path) == UnixFileKind.BlockDevice;

    [SupportedOSPlatform("linux")]
    private static bool IsFileSourceInputLinux(string path) =>
        !UnixFile.TryGetStatus(path, out UnixFileStatus status, out _) || status.Kind is UnixFileKind.Regular or UnixFileKind.Fifo;

    private static bool CheckType(string path, UnixFileStatus status) => status.Kind switch
    {
        UnixFileKind.BlockDevice => true,
        UnixFileKind.Regular => false,
        _ => throw new ForensicPipeException($"{path}: not a block device or regular file but {TypeName(status)}"),
    };

    private static string TypeName(UnixFileStatus status) => status.Kind switch
    {
        UnixFileKind.Directory => "a directory",
        UnixFileKind.CharacterDevice => "a character device",
        UnixFileKind.Fifo => "a FIFO (use the file source, type \"file\", for pipes)",
        UnixFileKind.Socket => "a socket",
        _ => $"file type 0x{status.FileType:x}",
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
            // The tail of a file whose length is not a multiple of the sector goes through the page cache.
            _direct.Prepare(offset, destination.Length, address);
            while (true)
            {
                nint count = LinuxNative.PositionalRead(descriptor, address, (nuint)destination.Length, offset);
                if (count >= 0)
                {
                    _directProven |= _direct.On;
                    return DeviceReadResult.Ok((int)count);
                }
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR)
                {
                    continue;
                }
                if (errno == Errno.EINVAL && _direct.On && !_directProven && _direct.GiveUp())
                {
                    // Some file systems accept O_DIRECT at open and refuse it at the first read.
                    ReadMode = "buffered: O_DIRECT reads refused (EINVAL)";
                    continue;
                }
                return DeviceReadResult.Fail(Errno.Describe(errno));
            }
        }
    }

    [SupportedOSPlatform("linux")]
    private long? QuerySizeLinux()
    {
        if (IsBlockDevice)
        {
            return UnixFile.TryGetBlockDeviceSize(_handle, out long size, out _) ? size : null;
        }
        return UnixFile.TryGetStatus(_handle, out UnixFileStatus status, out _) ? status.Size : null;
    }
}
