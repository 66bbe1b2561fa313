using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.IO;
using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Formats.ImageAccess;

/// <summary>
/// A seekable image (regular file or block device) opened read-only for positional reads, which several
/// threads may issue at once. Implementations of <see cref="IRandomAccessImage"/> read through it; it owns
/// the handle.
/// </summary>
public sealed class ImageFile : IDisposable
{
    private ImageFile(string path, SafeFileHandle handle, long length, bool isBlockDevice)
    {
        Path = path;
        Handle = handle;
        Length = length;
        IsBlockDevice = isBlockDevice;
    }

    /// <summary>The path as given.</summary>
    public string Path { get; }

    /// <summary>The read-only handle.</summary>
    public SafeFileHandle Handle { get; }

    /// <summary>Bytes in the file or device.</summary>
    public long Length { get; }

    /// <summary>Whether it is a block device (its size comes from <c>BLKGETSIZE64</c>).</summary>
    public bool IsBlockDevice { get; }

    /// <summary>
    /// Opens <paramref name="path"/> read-only. Refuses standard input, pipes, sockets, character devices and
    /// directories with a <see cref="RandomAccessRefusedException"/> before opening them (opening a FIFO would
    /// wait for a writer), and a missing or unreadable file with a <see cref="DeviceIOException"/>.
    /// </summary>
    public static ImageFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path == Core.Sources.FileSource.StandardInput)
        {
            throw new RandomAccessRefusedException(path, "standard input cannot be read at random offsets",
                "save the image to a file first (cat > image.img) and give its name");
        }
        UnixFileKind kind = UnixFile.GetKind(path);
        switch (kind)
        {
            case UnixFileKind.Missing:
                throw new DeviceIOException(path, 0, "cannot open the image: no such file or device");
            case UnixFileKind.Directory:
                throw new RandomAccessRefusedException(path, "is a directory, not an image");
            case UnixFileKind.Fifo or UnixFileKind.Socket or UnixFileKind.CharacterDevice:
                throw new RandomAccessRefusedException(path,
                    $"is a {(kind == UnixFileKind.CharacterDevice ? "character device" : kind == UnixFileKind.Socket ? "socket" : "pipe")}, which cannot be read at random offsets",
                    $"save it to a regular file first (cat '{path}' > image.img)");
        }
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.RandomAccess);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DeviceIOException(path, 0, $"cannot open the image: {ex.Message}", ex);
        }
        try
        {
            // GetKind tells block devices apart on Linux only.
            bool device = kind == UnixFileKind.BlockDevice;
            long length = OperatingSystem.IsLinux() && device ? BlockDeviceSize(handle, path) : RandomAccess.GetLength(handle);
            return new ImageFile(path, handle, length, device);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Bytes of the block device open as <paramref name="handle"/> (.NET reports 0 for it).</summary>
    [SupportedOSPlatform("linux")]
    private static long BlockDeviceSize(SafeFileHandle handle, string path) =>
        UnixFile.TryGetBlockDeviceSize(handle, out long size, out int errno)
            ? size
            : throw new DeviceIOException(path, 0, $"cannot read the device size (BLKGETSIZE64): {Marshal.GetPInvokeErrorMessage(errno)}");

    /// <summary>Reads up to <c>destination.Length</c> bytes at <paramref name="offset"/>; fewer only at the end
    /// of the file. Thread-safe (pread).</summary>
    public int ReadAt(long offset, Span<byte> destination)
    {
        int done = 0;
        try
        {
            while (done < destination.Length)
            {
                int got = RandomAccess.Read(Handle, destination[done..], offset + done);
                if (got == 0)
                {
                    break;
                }
                done += got;
            }
        }
        catch (IOException ex)
        {
            throw new DeviceIOException(Path, offset + done, $"cannot read the image: {ex.Message}", ex);
        }
        return done;
    }

    /// <inheritdoc />
    public void Dispose() => Handle.Dispose();
}
