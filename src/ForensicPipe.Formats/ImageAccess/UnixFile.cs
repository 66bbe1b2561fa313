using System.Runtime.InteropServices;

namespace ForensicPipe.Formats.ImageAccess;

/// <summary>The few Linux calls .NET does not expose: the file type without opening (statx, so a FIFO is not
/// opened and waited on) and the size of a block device (<c>BLKGETSIZE64</c>; .NET reports 0 for it).</summary>
internal static partial class UnixFile
{
    /// <summary>File types from <c>st_mode &amp; S_IFMT</c> (sys/stat.h).</summary>
    internal enum Kind
    {
        Missing,
        Regular,
        Directory,
        BlockDevice,
        CharacterDevice,
        Fifo,
        Socket,
        Other,
    }

    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int StatxSize = 256;
    private const int StatxModeOffset = 28; // u16 stx_mode in struct statx (linux/stat.h)
    private const int SIfMt = 0xF000;
    private const ulong BlkGetSize64 = 0x80081272; // _IOR(0x12, 114, size_t), linux/fs.h
    private const int ENoEnt = 2;

    /// <summary>The type of <paramref name="path"/> (symbolic links followed); <see cref="Kind.Other"/> where
    /// statx is unavailable.</summary>
    public static unsafe Kind GetKind(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return File.Exists(path) ? Kind.Regular : Directory.Exists(path) ? Kind.Directory : Kind.Missing;
        }
        byte* buffer = stackalloc byte[StatxSize];
        if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0)
        {
            return Marshal.GetLastPInvokeError() == ENoEnt ? Kind.Missing : Kind.Other;
        }
        int mode = *(ushort*)(buffer + StatxModeOffset) & SIfMt;
        return mode switch
        {
            0x8000 => Kind.Regular,
            0x4000 => Kind.Directory,
            0x6000 => Kind.BlockDevice,
            0x2000 => Kind.CharacterDevice,
            0x1000 => Kind.Fifo,
            0xC000 => Kind.Socket,
            _ => Kind.Other,
        };
    }

    /// <summary>Bytes of the block device open as <paramref name="handle"/>.</summary>
    public static unsafe long GetBlockDeviceSize(Microsoft.Win32.SafeHandles.SafeFileHandle handle, string path)
    {
        ulong size = 0;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (Ioctl((int)handle.DangerousGetHandle(), BlkGetSize64, &size) != 0)
            {
                throw new Core.Errors.DeviceIOException(path, 0,
                    $"cannot read the device size (BLKGETSIZE64): {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
        return checked((long)size);
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static unsafe partial int Ioctl(int fd, ulong request, ulong* value);
}
