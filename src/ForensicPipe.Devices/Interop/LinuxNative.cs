using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace ForensicPipe.Devices.Interop;

/// <summary>The libc calls of the Linux block-device path. Constants are from the kernel's uapi headers
/// (<c>asm-generic/fcntl.h</c>, <c>linux/fs.h</c>, <c>linux/stat.h</c>).</summary>
[SupportedOSPlatform("linux")]
internal static unsafe partial class LinuxNative
{
    public const int ReadOnly = 0;          // O_RDONLY
    public const int ReadWrite = 2;         // O_RDWR
    public const int Exclusive = 0x80;      // O_EXCL: on a block device without O_CREAT, an exclusive claim (EBUSY when mounted or held)
    public const int NoControllingTerminal = 0x100;   // O_NOCTTY
    public const int CloseOnExec = 0x80000;  // O_CLOEXEC
    public const int AccessModeMask = 3;    // O_ACCMODE

    // O_DIRECT differs by architecture (asm-generic/fcntl.h vs arch/arm64/include/uapi/asm/fcntl.h).
    public static readonly int DirectFlag = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.Arm64 or Architecture.Arm => 0x10000,
        _ => 0x4000,
    };

    public const nuint BlkGetSize64 = 0x80081272;   // _IOR(0x12, 114, size_t): bytes, u64
    public const nuint BlkSszGet = 0x1268;          // _IO(0x12, 104): logical sector size, int
    public const nuint BlkPbszGet = 0x127B;         // _IO(0x12, 123): physical sector size, unsigned int
    public const nuint BlkFlsBuf = 0x1261;          // _IO(0x12, 97): write back and drop the device's page cache

    public const int AtCurrentDirectory = -100;     // AT_FDCWD
    public const int AtEmptyPath = 0x1000;          // AT_EMPTY_PATH
    public const uint StatxBasicStats = 0x7FF;      // STATX_BASIC_STATS
    public const int StatxSize = 256;               // sizeof(struct statx)
    public const int StatxModeOffset = 28;          // __u16 stx_mode
    public const int StatxInodeOffset = 32;         // __u64 stx_ino
    public const int StatxSizeOffset = 40;          // __u64 stx_size
    public const int StatxRdevMajorOffset = 128;    // __u32 stx_rdev_major
    public const int StatxRdevMinorOffset = 132;    // __u32 stx_rdev_minor
    public const int StatxDevMajorOffset = 136;     // __u32 stx_dev_major
    public const int StatxDevMinorOffset = 140;     // __u32 stx_dev_minor

    public const int FileTypeMask = 0xF000;         // S_IFMT
    public const int BlockDeviceType = 0x6000;      // S_IFBLK
    public const int RegularFileType = 0x8000;      // S_IFREG
    public const int DirectoryType = 0x4000;        // S_IFDIR
    public const int CharacterDeviceType = 0x2000;  // S_IFCHR
    public const int FifoType = 0x1000;             // S_IFIFO
    public const int SocketType = 0xC000;           // S_IFSOCK

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
    public static partial int IoctlUInt64(int descriptor, nuint request, ulong* value);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int IoctlInt32(int descriptor, nuint request, int* value);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);
}
