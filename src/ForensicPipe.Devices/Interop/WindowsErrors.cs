using System.Runtime.InteropServices;

namespace ForensicPipe.Devices.Interop;

/// <summary>Win32 error codes the device source tells apart (winerror.h).</summary>
internal static class WindowsErrors
{
    public const int FileNotFound = 2;
    public const int AccessDenied = 5;
    public const int NotReady = 21;
    public const int Crc = 23;
    public const int SectorNotFound = 27;
    public const int ReadFault = 30;
    public const int GenFailure = 31;
    public const int HandleEof = 38;
    public const int InvalidParameter = 87;
    public const int SemTimeout = 121;
    public const int NoSuchDevice = 433;
    public const int IoDevice = 1117;
    public const int DeviceNotConnected = 1167;

    /// <summary>The error as the source records it. Past the end of a disk Windows answers
    /// ERROR_ACCESS_DENIED or ERROR_INVALID_PARAMETER (Python raises PermissionError there, as quickdd found:
    /// docs/architecture.md, "Prior art the behaviour follows").</summary>
    public static DeviceReadError Describe(int code)
    {
        (string name, DeviceErrorKind kind) = code switch
        {
            AccessDenied => ("ERROR_ACCESS_DENIED", DeviceErrorKind.Refused),
            InvalidParameter => ("ERROR_INVALID_PARAMETER", DeviceErrorKind.Refused),
            SectorNotFound => ("ERROR_SECTOR_NOT_FOUND", DeviceErrorKind.Refused),
            Crc => ("ERROR_CRC", DeviceErrorKind.Media),
            ReadFault => ("ERROR_READ_FAULT", DeviceErrorKind.Media),
            GenFailure => ("ERROR_GEN_FAILURE", DeviceErrorKind.Media),
            IoDevice => ("ERROR_IO_DEVICE", DeviceErrorKind.Media),
            SemTimeout => ("ERROR_SEM_TIMEOUT", DeviceErrorKind.Media),
            NotReady => ("ERROR_NOT_READY", DeviceErrorKind.Gone),
            NoSuchDevice => ("ERROR_NO_SUCH_DEVICE", DeviceErrorKind.Gone),
            DeviceNotConnected => ("ERROR_DEVICE_NOT_CONNECTED", DeviceErrorKind.Gone),
            FileNotFound => ("ERROR_FILE_NOT_FOUND", DeviceErrorKind.Gone),
            _ => ($"Win32 error {code}", DeviceErrorKind.Other),
        };
        return new DeviceReadError(code, $"{name} ({Marshal.GetPInvokeErrorMessage(code)})", kind);
    }
}
