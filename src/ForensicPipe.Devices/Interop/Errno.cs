using System.Runtime.InteropServices;

namespace ForensicPipe.Devices.Interop;

/// <summary>Linux errno values the device source tells apart (asm-generic/errno-base.h, errno.h).</summary>
internal static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int ENXIO = 6;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int ENODEV = 19;
    public const int EISDIR = 21;
    public const int EINVAL = 22;
    public const int ENOTTY = 25;
    public const int ENOSPC = 28;
    public const int ENOMEDIUM = 123;

    /// <summary>The error as the source records it: name, text and kind.</summary>
    public static DeviceReadError Describe(int errno)
    {
        (string name, DeviceErrorKind kind) = errno switch
        {
            EIO => ("EIO", DeviceErrorKind.Media),
            EINVAL => ("EINVAL", DeviceErrorKind.Refused),
            EPERM => ("EPERM", DeviceErrorKind.Refused),
            EACCES => ("EACCES", DeviceErrorKind.Refused),
            ENODEV => ("ENODEV", DeviceErrorKind.Gone),
            ENXIO => ("ENXIO", DeviceErrorKind.Gone),
            ENOMEDIUM => ("ENOMEDIUM", DeviceErrorKind.Gone),
            ENOSPC => ("ENOSPC", DeviceErrorKind.Refused),
            EBUSY => ("EBUSY", DeviceErrorKind.Refused),
            ENOENT => ("ENOENT", DeviceErrorKind.Other),
            EISDIR => ("EISDIR", DeviceErrorKind.Other),
            ENOTTY => ("ENOTTY", DeviceErrorKind.Other),
            EAGAIN => ("EAGAIN", DeviceErrorKind.Other),
            _ => ($"errno {errno}", DeviceErrorKind.Other),
        };
        return new DeviceReadError(errno, $"{name} ({Marshal.GetPInvokeErrorMessage(errno)})", kind);
    }
}
