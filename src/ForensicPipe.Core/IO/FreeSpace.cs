using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Core.IO;

/// <summary>
/// How much a file system can still take, and reserving space in a file before it is needed:
/// <c>statvfs(3)</c> (the blocks available to an unprivileged user, <c>f_bavail × f_frsize</c>, as <c>df</c>
/// shows them) and <c>fallocate(2)</c> with <c>FALLOC_FL_KEEP_SIZE</c> (blocks allocated past the end of the
/// file, its length unchanged, so a later write into them cannot fail with ENOSPC).
/// </summary>
public static partial class FreeSpace
{
    // struct statvfs of glibc on 64-bit Linux (bits/statvfs.h): eleven unsigned longs, then int __f_spare[6].
    private const int StatvfsSize = 112;
    private const int FragmentSizeOffset = 8;       // unsigned long f_frsize
    private const int AvailableBlocksOffset = 32;   // fsblkcnt_t f_bavail

    private const int KeepSize = 1;                 // FALLOC_FL_KEEP_SIZE (linux/falloc.h)

    /// <summary>Bytes the file system holding <paramref name="path"/> (a file that may not exist yet, or a
    /// folder) can still take; null when it cannot be asked (not Linux, or no existing folder above it).</summary>
    public static long? AvailableBytes(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string? directory = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path));
        while (directory is not null && !Directory.Exists(directory))
        {
            directory = Path.GetDirectoryName(directory);
        }
        if (directory is null)
        {
            return null;
        }
        if (!OperatingSystem.IsLinux() || IntPtr.Size != 8)
        {
            return OperatingSystem.IsWindows() ? new DriveInfo(directory).AvailableFreeSpace : null;
        }
        Span<byte> buffer = stackalloc byte[StatvfsSize];
        buffer.Clear();
        unsafe
        {
            fixed (byte* pointer = buffer)
            {
                if (Statvfs(directory, pointer) != 0)
                {
                    return null;
                }
            }
        }
        ulong fragment = MemoryMarshal.Read<ulong>(buffer[FragmentSizeOffset..]);
        ulong available = MemoryMarshal.Read<ulong>(buffer[AvailableBlocksOffset..]);
        // Saturates instead of overflowing for file systems larger than 8 EiB.
        return available > (ulong)long.MaxValue / Math.Max(fragment, 1) ? long.MaxValue : (long)(available * fragment);
    }

    /// <summary>Allocates <paramref name="length"/> bytes from the start of the open file without changing its
    /// length; false where the file system or OS cannot (then nothing is reserved) or it has not that much room.</summary>
    public static bool TryReserve(SafeFileHandle handle, long length)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (!OperatingSystem.IsLinux() || length == 0)
        {
            return false;
        }
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return Fallocate((int)handle.DangerousGetHandle(), KeepSize, 0, length) == 0;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "statvfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statvfs(string path, byte* buffer);

    [LibraryImport("libc", EntryPoint = "fallocate", SetLastError = true)]
    private static partial int Fallocate(int descriptor, int mode, long offset, long length);
}
