using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Core.IO;

/// <summary>
/// The Linux file calls .NET does not expose: the type and status of a path without opening it
/// (<c>statx(2)</c>; opening a FIFO waits for a writer, opening a tty may make it the controlling terminal),
/// the status of an open handle, and the size of a block device (<c>BLKGETSIZE64</c>; .NET reports 0 for
/// it). Failures give the errno, so that each caller words its own message.
/// </summary>
public static partial class UnixFile
{
    private const int AtCurrentDirectory = -100;    // AT_FDCWD (linux/fcntl.h)
    private const int AtEmptyPath = 0x1000;         // AT_EMPTY_PATH (linux/fcntl.h): the descriptor itself
    private const uint StatxBasicStats = 0x7FF;     // STATX_BASIC_STATS (linux/stat.h)

    // struct statx (linux/stat.h); fields in native byte order.
    private const int StatxSize = 256;              // sizeof(struct statx)
    private const int StatxModeOffset = 28;         // __u16 stx_mode
    private const int StatxInodeOffset = 32;        // __u64 stx_ino
    private const int StatxSizeOffset = 40;         // __u64 stx_size
    private const int StatxRdevMajorOffset = 128;   // __u32 stx_rdev_major
    private const int StatxRdevMinorOffset = 132;   // __u32 stx_rdev_minor
    private const int StatxDevMajorOffset = 136;    // __u32 stx_dev_major
    private const int StatxDevMinorOffset = 140;    // __u32 stx_dev_minor

    // File types (linux/stat.h, where they are octal).
    private const int FileTypeMask = 0xF000;        // S_IFMT
    private const int SocketType = 0xC000;          // S_IFSOCK
    private const int RegularFileType = 0x8000;     // S_IFREG
    private const int BlockDeviceType = 0x6000;     // S_IFBLK
    private const int DirectoryType = 0x4000;       // S_IFDIR
    private const int CharacterDeviceType = 0x2000; // S_IFCHR
    private const int FifoType = 0x1000;            // S_IFIFO

    // _IOR(0x12, 114, size_t) (linux/fs.h) with the asm-generic/ioctl.h encoding and an 8-byte size_t: bytes, u64.
    private const nuint BlkGetSize64 = 0x80081272;

    private const int NoSuchFile = 2;               // ENOENT (asm-generic/errno-base.h)
    private const int BadDescriptor = 9;            // EBADF (asm-generic/errno-base.h)

    /// <summary>The type of <paramref name="path"/>, symbolic links followed, without opening it;
    /// <see cref="UnixFileKind.Missing"/> when nothing is there. Off Linux only regular files, directories and
    /// missing paths are told apart.</summary>
    public static UnixFileKind GetKind(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!OperatingSystem.IsLinux())
        {
            return File.Exists(path) ? UnixFileKind.Regular : Directory.Exists(path) ? UnixFileKind.Directory : UnixFileKind.Missing;
        }
        if (TryGetStatus(path, out UnixFileStatus status, out int errno))
        {
            return status.Kind;
        }
        return errno == NoSuchFile ? UnixFileKind.Missing : UnixFileKind.Other;
    }

    /// <summary>The status of <paramref name="path"/>, symbolic links followed, without opening it; false with
    /// the errno when statx fails.</summary>
    [SupportedOSPlatform("linux")]
    public static unsafe bool TryGetStatus(string path, out UnixFileStatus status, out int errno)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte* buffer = stackalloc byte[StatxSize];
        if (Statx(AtCurrentDirectory, path, 0, StatxBasicStats, buffer) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            status = default;
            return false;
        }
        errno = 0;
        status = Parse(new ReadOnlySpan<byte>(buffer, StatxSize));
        return true;
    }

    /// <summary>The status of what <paramref name="handle"/> has open (statx with <c>AT_EMPTY_PATH</c>); false
    /// with the errno when statx fails, <c>EBADF</c> for a closed handle.</summary>
    [SupportedOSPlatform("linux")]
    public static unsafe bool TryGetStatus(SafeFileHandle handle, out UnixFileStatus status, out int errno)
    {
        ArgumentNullException.ThrowIfNull(handle);
        byte* buffer = stackalloc byte[StatxSize];
        errno = OnDescriptor(handle, &StatxOfDescriptor, buffer);
        status = errno == 0 ? Parse(new ReadOnlySpan<byte>(buffer, StatxSize)) : default;
        return errno == 0;
    }

    /// <summary>Bytes of the block device <paramref name="handle"/> has open (<c>BLKGETSIZE64</c>); false with
    /// the errno when the ioctl fails (<c>ENOTTY</c> for anything but a block device), <c>EBADF</c> for a
    /// closed handle.</summary>
    [SupportedOSPlatform("linux")]
    public static unsafe bool TryGetBlockDeviceSize(SafeFileHandle handle, out long size, out int errno)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ulong bytes = 0;
        errno = OnDescriptor(handle, &BlockDeviceSizeOfDescriptor, &bytes);
        // The kernel keeps the size as a loff_t (signed 64-bit), so it fits a long.
        size = errno == 0 ? (long)bytes : 0;
        return errno == 0;
    }

    /// <summary>Calls <paramref name="call"/> on the descriptor of <paramref name="handle"/>, held so that it
    /// cannot be closed, and its number reused by another file, meanwhile; the errno, or 0.</summary>
    private static unsafe int OnDescriptor(SafeFileHandle handle, delegate*<int, void*, int> call, void* argument)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return call((int)handle.DangerousGetHandle(), argument) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        catch (ObjectDisposedException)
        {
            return BadDescriptor;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static unsafe int StatxOfDescriptor(int descriptor, void* buffer) =>
        Statx(descriptor, "", AtEmptyPath, StatxBasicStats, (byte*)buffer);

    private static unsafe int BlockDeviceSizeOfDescriptor(int descriptor, void* size) =>
        Ioctl(descriptor, BlkGetSize64, (ulong*)size);

    private static UnixFileStatus Parse(ReadOnlySpan<byte> statx)
    {
        int fileType = MemoryMarshal.Read<ushort>(statx[StatxModeOffset..]) & FileTypeMask;
        return new UnixFileStatus(
            KindOf(fileType),
            fileType,
            (long)MemoryMarshal.Read<ulong>(statx[StatxSizeOffset..]),
            MemoryMarshal.Read<ulong>(statx[StatxInodeOffset..]),
            MemoryMarshal.Read<uint>(statx[StatxDevMajorOffset..]),
            MemoryMarshal.Read<uint>(statx[StatxDevMinorOffset..]),
            MemoryMarshal.Read<uint>(statx[StatxRdevMajorOffset..]),
            MemoryMarshal.Read<uint>(statx[StatxRdevMinorOffset..]));
    }

    private static UnixFileKind KindOf(int fileType) => fileType switch
    {
        RegularFileType => UnixFileKind.Regular,
        DirectoryType => UnixFileKind.Directory,
        BlockDeviceType => UnixFileKind.BlockDevice,
        CharacterDeviceType => UnixFileKind.CharacterDevice,
        FifoType => UnixFileKind.Fifo,
        SocketType => UnixFileKind.Socket,
        _ => UnixFileKind.Other,
    };

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static unsafe partial int Ioctl(int descriptor, nuint request, ulong* value);
}
