using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace ForensicPipe.Devices.Interop;

/// <summary>The libc calls of the Linux block-device path that only devices need: open flags, positional
/// reads and writes, fsync, and the sector-size and flush ioctls. Constants are from the kernel's uapi
/// headers (<c>asm-generic/fcntl.h</c>, <c>linux/fs.h</c>). File status (statx) and the device size
/// (<c>BLKGETSIZE64</c>) are in <see cref="Core.IO.UnixFile"/>, which Formats uses too.</summary>
[SupportedOSPlatform("linux")]
internal static unsafe partial class LinuxNative
{
    public const int ReadOnly = 0;          // O_RDONLY
    public const int ReadWrite = 2;         // O_RDWR
    public const int Exclusive = 0x80;      // O_EXCL: on a block device without O_CREAT, an exclusive claim (EBUSY when mounted or held)
    public const int NoControllingTerminal = 0x100;   // O_NOCTTY
    public const int CloseOnExec = 0x80000;  // O_CLOEXEC
    public const int AccessModeMask = 3;    // O_ACCMODE
    // O_DIRECT differs by architecture: DirectIo.OpenFlag.

    public const nuint BlkSszGet = 0x1268;          // _IO(0x12, 104): logical sector size, int
    public const nuint BlkPbszGet = 0x127B;         // _IO(0x12, 123): physical sector size, unsigned int
    public const nuint BlkFlsBuf = 0x1261;          // _IO(0x12, 97): write back and drop the device's page cache

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    public static partial nint PositionalRead(int descriptor, byte* buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    public static partial nint PositionalWrite(int descriptor, byte* buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int IoctlNone(int descriptor, nuint request, nint argument);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int IoctlInt32(int descriptor, nuint request, int* value);
}
