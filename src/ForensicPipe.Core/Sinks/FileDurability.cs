using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Core.Sinks;

/// <summary>
/// The Linux calls the raw-file outputs need beyond .NET's file API: <c>fsync</c> of a folder, so that a rename
/// survives a power loss (fsync(2): syncing a file does not sync the directory entry), and
/// <c>posix_fadvise(POSIX_FADV_DONTNEED)</c>, to drop a file's cached pages before it is read back.
/// </summary>
public static partial class FileDurability
{
    private const int ReadOnlyDirectory = 0x10000;   // O_RDONLY | O_DIRECTORY (asm-generic/fcntl.h)
    private const int ReadOnlyDirectoryArm = 0x4000; // O_DIRECTORY on arm64 (arch/arm64/include/uapi/asm/fcntl.h)
    private const int DontNeed = 4;                  // POSIX_FADV_DONTNEED (linux/fadvise.h)

    /// <summary>fsyncs <paramref name="directory"/>; false where the platform or file system does not allow it.</summary>
    public static bool SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        int flags = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? ReadOnlyDirectoryArm : ReadOnlyDirectory;
        int descriptor = Open(directory, flags);
        if (descriptor < 0)
        {
            return false;
        }
        try
        {
            return Fsync(descriptor) == 0;
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    /// <summary>Asks the kernel to drop the clean cached pages of the file; false where refused.</summary>
    public static bool DropCache(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return OperatingSystem.IsLinux() && Fadvise((int)handle.DangerousGetHandle(), 0, 0, DontNeed) == 0;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int Fadvise(int descriptor, long offset, long length, int advice);
}
