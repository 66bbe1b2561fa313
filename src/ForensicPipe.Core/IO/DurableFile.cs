using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Core.IO;

/// <summary>
/// Small files (mapfiles, sidecars, reports) replaced so that a crash at any moment leaves either the old
/// file or the new one whole under the name, never a torn one: written to <c>NAME.partial</c>, fsynced,
/// renamed over <c>NAME</c>, and the folder fsynced so that the rename itself survives a power loss.
/// </summary>
public static partial class DurableFile
{
    /// <summary>Suffix of the temporary name.</summary>
    public const string TemporarySuffix = ".partial";

    // O_RDONLY opens a folder; O_DIRECTORY is left out because its value differs between architectures.
    private const int ReadOnly = 0;

    /// <summary>Writes <paramref name="text"/> (UTF-8) to <paramref name="path"/> as described above.</summary>
    public static void WriteAtomically(string path, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(text);
        string temporary = path + TemporarySuffix;
        using (SafeFileHandle handle = File.OpenHandle(temporary, FileMode.Create, FileAccess.Write, FileShare.Read))
        {
            RandomAccess.Write(handle, Encoding.UTF8.GetBytes(text), 0);
            RandomAccess.FlushToDisk(handle);
        }
        File.Move(temporary, path, overwrite: true);
        SyncFolderOf(path);
    }

    /// <summary>Makes the names in the folder of <paramref name="path"/> (a rename, a removal) durable; a
    /// no-op where folders cannot be opened (not Linux).</summary>
    public static void SyncFolderOf(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!OperatingSystem.IsLinux() || Path.GetDirectoryName(Path.GetFullPath(path)) is not string folder)
        {
            return;
        }
        int descriptor = Open(folder, ReadOnly);
        if (descriptor < 0)
        {
            return;
        }
        _ = Fsync(descriptor);
        _ = Close(descriptor);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
