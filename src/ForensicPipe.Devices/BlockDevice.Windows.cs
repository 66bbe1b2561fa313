using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Errors;
using ForensicPipe.Devices.Interop;
using ForensicPipe.Devices.Windows;
using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Devices;

/// <summary>Windows (docs/architecture.md, "Prior art the behaviour follows"): CreateFile with GENERIC_READ only,
/// FSCTL_ALLOW_EXTENDED_DASD_IO, size and sector sizes by IOCTL, no error dialogs. Compiled everywhere, runs only on
/// Windows.</summary>
public sealed partial class BlockDevice
{
    [SupportedOSPlatform("windows")]
    private static unsafe BlockDevice OpenWindows(string input, bool directIo)
    {
        // A drive without a medium would otherwise bring up a "no disk" dialog box.
        _ = WindowsNative.SetErrorMode(WindowsNative.SemFailCriticalErrors | WindowsNative.SemNoOpenFileErrorBox);
        string name = WindowsDeviceName.Resolve(input, WindowsNative.VolumeNameFor);
        uint flags = directIo ? WindowsNative.FileFlagNoBuffering : 0;
        SafeFileHandle handle = WindowsNative.CreateFile(name, WindowsNative.GenericRead,
            WindowsNative.FileShareRead | WindowsNative.FileShareWrite, 0, WindowsNative.OpenExisting, flags, 0);
        if (handle.IsInvalid)
        {
            int error = Marshal.GetLastPInvokeError();
            handle.Dispose();
            throw new ForensicPipeException($"{input}: cannot open {name} read-only: {WindowsErrors.Describe(error)}");
        }
        try
        {
            // Without it the file system limits reads of a volume to what it considers the volume's extent.
            bool extended = WindowsNative.DeviceIoControl(handle, WindowsNative.FsctlAllowExtendedDasdIo, null, 0, null, 0, out _, 0);
            long length;
            if (!WindowsNative.DeviceIoControl(handle, WindowsNative.IoctlDiskGetLengthInfo, null, 0, &length, sizeof(long), out _, 0))
            {
                throw new ForensicPipeException($"{input}: IOCTL_DISK_GET_LENGTH_INFO failed: {WindowsErrors.Describe(Marshal.GetLastPInvokeError())}");
            }
            byte* geometry = stackalloc byte[WindowsNative.GeometryExSize];
            if (!WindowsNative.DeviceIoControl(handle, WindowsNative.IoctlDiskGetDriveGeometryEx, null, 0, geometry,
                    WindowsNative.GeometryExSize, out _, 0))
            {
                throw new ForensicPipeException($"{input}: IOCTL_DISK_GET_DRIVE_GEOMETRY_EX failed: {WindowsErrors.Describe(Marshal.GetLastPInvokeError())}");
            }
            int logical = BinaryPrimitives.ReadInt32LittleEndian(new ReadOnlySpan<byte>(geometry + WindowsNative.GeometryBytesPerSectorOffset, 4));
            int physical = QueryPhysicalSectorSize(handle) ?? logical;
            JsonObject identity = StorageIdentity(handle);
            identity["path"] = input;
            identity["deviceName"] = name;
            identity["extendedDasdIo"] = extended;
            string readMode = directIo ? "direct (FILE_FLAG_NO_BUFFERING)" : "buffered (direct I/O not asked for)";
            return new BlockDevice(name, handle, true, length, logical, physical, directIo, readMode, identity);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    [SupportedOSPlatform("windows")]
    private static unsafe int? QueryPhysicalSectorSize(SafeFileHandle handle)
    {
        uint* query = stackalloc uint[3] { WindowsNative.StorageAccessAlignmentProperty, WindowsNative.PropertyStandardQuery, 0 };
        byte* descriptor = stackalloc byte[64];
        return WindowsNative.DeviceIoControl(handle, WindowsNative.IoctlStorageQueryProperty, query, WindowsNative.PropertyQuerySize,
                descriptor, 64, out uint returned, 0) && returned >= WindowsNative.AlignmentPhysicalSectorOffset + 4
            ? BinaryPrimitives.ReadInt32LittleEndian(new ReadOnlySpan<byte>(descriptor + WindowsNative.AlignmentPhysicalSectorOffset, 4))
            : null;
    }

    [SupportedOSPlatform("windows")]
    private static unsafe JsonObject StorageIdentity(SafeFileHandle handle)
    {
        var identity = new JsonObject();
        uint* query = stackalloc uint[3] { WindowsNative.StorageDeviceProperty, WindowsNative.PropertyStandardQuery, 0 };
        byte[] buffer = new byte[WindowsNative.DescriptorBufferSize];
        fixed (byte* descriptor = buffer)
        {
            if (!WindowsNative.DeviceIoControl(handle, WindowsNative.IoctlStorageQueryProperty, query, WindowsNative.PropertyQuerySize,
                    descriptor, (uint)buffer.Length, out uint returned, 0) || returned < WindowsNative.DescriptorBusTypeOffset + 4)
            {
                return identity;
            }
            var span = new ReadOnlySpan<byte>(descriptor, (int)returned);
            identity["vendor"] = AnsiAt(span, WindowsNative.DescriptorVendorOffset);
            identity["model"] = AnsiAt(span, WindowsNative.DescriptorProductOffset);
            identity["serial"] = AnsiAt(span, WindowsNative.DescriptorSerialOffset);
            identity["removable"] = span[WindowsNative.DescriptorRemovableOffset] != 0;
            identity["transport"] = BinaryPrimitives.ReadInt32LittleEndian(span[WindowsNative.DescriptorBusTypeOffset..]) switch
            {
                1 => "scsi",
                3 => "atapi",
                4 => "ata",
                7 => "usb",
                11 => "sata",
                12 => "sd",
                13 => "mmc",
                17 => "nvme",
                int other => $"bus type {other}",
            };
        }
        return identity;
    }

    // STORAGE_DEVICE_DESCRIPTOR strings are NUL-terminated ANSI at an offset; 0 means absent.
    private static string? AnsiAt(ReadOnlySpan<byte> descriptor, int offsetField)
    {
        int offset = BinaryPrimitives.ReadInt32LittleEndian(descriptor[offsetField..]);
        if (offset <= 0 || offset >= descriptor.Length)
        {
            return null;
        }
        ReadOnlySpan<byte> text = descriptor[offset..];
        int end = text.IndexOf((byte)0);
        string value = Encoding.ASCII.GetString(end < 0 ? text : text[..end]).Trim();
        return value.Length == 0 ? null : value;
    }

    [SupportedOSPlatform("windows")]
    private DeviceReadResult ReadWindows(long offset, Span<byte> destination)
    {
        try
        {
            return DeviceReadResult.Ok(RandomAccess.Read(_handle, destination, offset));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Win32 errors arrive as HRESULT 0x8007xxxx.
            return DeviceReadResult.Fail(WindowsErrors.Describe(exception.HResult & 0xFFFF));
        }
    }

    [SupportedOSPlatform("windows")]
    private unsafe long? QuerySizeWindows()
    {
        long length;
        return WindowsNative.DeviceIoControl(_handle, WindowsNative.IoctlDiskGetLengthInfo, null, 0, &length, sizeof(long), out _, 0)
            ? length : null;
    }
}
