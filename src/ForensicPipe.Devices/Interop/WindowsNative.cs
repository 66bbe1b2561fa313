using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Devices.Interop;

/// <summary>The Win32 calls of the Windows block-device path (docs/architecture.md, "Prior art the behaviour follows").
/// Constants from winioctl.h / winbase.h.</summary>
[SupportedOSPlatform("windows")]
internal static unsafe partial class WindowsNative
{
    public const uint GenericRead = 0x80000000;
    public const uint FileShareRead = 0x1;
    public const uint FileShareWrite = 0x2;
    public const uint OpenExisting = 3;
    public const uint FileFlagNoBuffering = 0x20000000;

    public const uint SemFailCriticalErrors = 0x0001;
    public const uint SemNoOpenFileErrorBox = 0x8000;

    public const uint FsctlAllowExtendedDasdIo = 0x00090083;
    public const uint IoctlDiskGetLengthInfo = 0x0007405C;
    public const uint IoctlDiskGetDriveGeometryEx = 0x000700A0;
    public const uint IoctlStorageQueryProperty = 0x002D1400;

    public const int GeometryBytesPerSectorOffset = 20;   // DISK_GEOMETRY.BytesPerSector
    public const int GeometryExSize = 256;                 // DISK_GEOMETRY_EX with room for the partition/detection info

    public const uint StorageDeviceProperty = 0;           // STORAGE_PROPERTY_ID
    public const uint StorageAccessAlignmentProperty = 6;
    public const uint PropertyStandardQuery = 0;
    public const int PropertyQuerySize = 12;               // STORAGE_PROPERTY_QUERY
    public const int AlignmentPhysicalSectorOffset = 20;   // STORAGE_ACCESS_ALIGNMENT_DESCRIPTOR.BytesPerPhysicalSector
    public const int DescriptorRemovableOffset = 10;       // STORAGE_DEVICE_DESCRIPTOR.RemovableMedia
    public const int DescriptorVendorOffset = 12;          // .VendorIdOffset
    public const int DescriptorProductOffset = 16;         // .ProductIdOffset
    public const int DescriptorSerialOffset = 24;          // .SerialNumberOffset
    public const int DescriptorBusTypeOffset = 28;         // .BusType (STORAGE_BUS_TYPE)
    public const int DescriptorBufferSize = 1024;

    public const int MaxVolumeName = 50;                   // "\\?\Volume{GUID}\" is 49 characters

    [LibraryImport("kernel32.dll", EntryPoint = "CreateFileW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    public static partial SafeFileHandle CreateFile(string name, uint access, uint share, nint security, uint disposition, uint flags, nint template);

    [LibraryImport("kernel32.dll", EntryPoint = "DeviceIoControl", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool DeviceIoControl(SafeFileHandle device, uint code, void* input, uint inputSize, void* output, uint outputSize,
        out uint returned, nint overlapped);

    [LibraryImport("kernel32.dll", EntryPoint = "SetErrorMode")]
    public static partial uint SetErrorMode(uint mode);

    [LibraryImport("kernel32.dll", EntryPoint = "GetVolumeNameForVolumeMountPointW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool GetVolumeNameForVolumeMountPoint(string mountPoint, char* volumeName, uint length);

    /// <summary>The volume name (<c>\\?\Volume{…}\</c>) mounted at <paramref name="mountPoint"/>, or null.</summary>
    public static string? VolumeNameFor(string mountPoint)
    {
        char* name = stackalloc char[MaxVolumeName];
        return GetVolumeNameForVolumeMountPoint(mountPoint, name, MaxVolumeName) ? new string(name) : null;
    }
}
