using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.IO;
using ForensicPipe.Formats.Input;
using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Formats.ImageAccess;

/// <summary>
/// A seekable image (regular file or block device) opened read-only for positional reads, which several
/// threads may issue at once. Implementations of <see cref="IRandomAccessImage"/> read through it; it owns
/// the handle.
/// </summary>
public sealed class ImageFile : IDisposable
{
    private readonly Piece[] _pieces;

    private ImageFile(string path, SafeFileHandle handle, long length, bool isBlockDevice)
        : this(path, [new Piece(path, handle, 0, length)], isBlockDevice)
    {
    }

    private ImageFile(string path, Piece[] pieces, bool isBlockDevice)
    {
        Path = path;
        _pieces = pieces;
        Handle = pieces[0].Handle;
        Length = pieces[^1].Start + pieces[^1].Length;
        IsBlockDevice = isBlockDevice;
    }

    /// <summary>The path as given.</summary>
    public string Path { get; }

    /// <summary>The read-only handle; for a split set, that of its first piece (read the set through
    /// <see cref="ReadAt"/>).</summary>
    public SafeFileHandle Handle { get; }

    /// <summary>Files read: 1, or the pieces of a split set (<c>.aa</c>, <c>.ab</c>, …, docs/formats/compression-and-split.md).</summary>
    public int PieceCount => _pieces.Length;

    /// <summary>Bytes in the file or device.</summary>
    public long Length { get; }

    /// <summary>Whether it is a block device (its size comes from <c>BLKGETSIZE64</c>).</summary>
    public bool IsBlockDevice { get; }

    /// <summary>
    /// Opens <paramref name="path"/> read-only. Refuses standard input, pipes, sockets, character devices and
    /// directories with a <see cref="RandomAccessRefusedException"/> before opening them (opening a FIFO would
    /// wait for a writer), and a missing or unreadable file with a <see cref="DeviceIOException"/>. A piece of a split
    /// set opens the whole set, its pieces read as one file; a set with a missing or short piece is an
    /// <see cref="ImageFormatException"/> naming it.
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
        if (kind == UnixFileKind.Regular && SplitSet.Find(path) is { Pieces.Count: > 1 } set)
        {
            return OpenSet(path, set);
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

    /// <summary>Opens every piece of <paramref name="set"/>; each must still have the size it had when the set was found.</summary>
    private static ImageFile OpenSet(string path, SplitSet set)
    {
        var pieces = new List<Piece>(set.Pieces.Count);
        try
        {
            foreach (SplitPiece piece in set.Pieces)
            {
                SafeFileHandle handle;
                try
                {
                    handle = File.OpenHandle(piece.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.RandomAccess);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new DeviceIOException(piece.Path, 0, $"cannot open the split piece: {ex.Message}", ex);
                }
                pieces.Add(new Piece(piece.Path, handle, piece.Start, piece.Length));
                long length = RandomAccess.GetLength(handle);
                if (length != piece.Length)
                {
                    throw new ImageFormatException(piece.Path, "split piece", Math.Min(length, piece.Length),
                        $"the piece changed size while the set was opened ({piece.Length} then {length} bytes)");
                }
            }
            return new ImageFile(path, [.. pieces], isBlockDevice: false);
        }
        catch
        {
            foreach (Piece piece in pieces)
            {
                piece.Handle.Dispose();
            }
            throw;
        }
    }

    /// <summary>Reads up to <c>destination.Length</c> bytes at <paramref name="offset"/>; fewer only at the end
    /// of the file (of the set). Thread-safe (pread).</summary>
    public int ReadAt(long offset, Span<byte> destination)
    {
        if (_pieces.Length == 1)
        {
            return ReadPiece(_pieces[0], offset, destination, toEnd: false);
        }
        int done = 0;
        int index = PieceAt(offset);
        while (done < destination.Length && index < _pieces.Length)
        {
            Piece piece = _pieces[index];
            long inPiece = offset + done - piece.Start;
            int count = (int)Math.Min(destination.Length - done, piece.Length - inPiece);
            done += ReadPiece(piece, inPiece, destination.Slice(done, count), toEnd: true);
            index++;
        }
        return done;
    }

    /// <summary>The piece holding byte <paramref name="offset"/>, or the count of pieces past the end.</summary>
    private int PieceAt(long offset)
    {
        int low = 0, high = _pieces.Length;
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (_pieces[middle].Start + _pieces[middle].Length <= offset)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }

    /// <summary>Reads <paramref name="destination"/> at <paramref name="offset"/> of one file; with
    /// <paramref name="toEnd"/> (a piece of a set, whose bytes must all be there) a short read is an error.</summary>
    private static int ReadPiece(Piece piece, long offset, Span<byte> destination, bool toEnd)
    {
        int done = 0;
        try
        {
            while (done < destination.Length)
            {
                int got = RandomAccess.Read(piece.Handle, destination[done..], offset + done);
                if (got == 0)
                {
                    break;
                }
                done += got;
            }
        }
        catch (IOException ex)
        {
            throw new DeviceIOException(piece.Path, offset + done, $"cannot read the image: {ex.Message}", ex);
        }
        if (toEnd && done < destination.Length)
        {
            throw new ImageFormatException(piece.Path, "split piece", offset + done,
                $"the piece ends early: it had {piece.Length} bytes when the set was opened");
        }
        return done;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Piece piece in _pieces)
        {
            piece.Handle.Dispose();
        }
    }

    /// <summary>One file of the image and where its bytes start in it.</summary>
    private sealed record Piece(string Path, SafeFileHandle Handle, long Start, long Length);
}
