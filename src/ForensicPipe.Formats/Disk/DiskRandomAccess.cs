using System.Text.Json.Nodes;
using ForensicPipe.Core.Errors;
using ForensicPipe.Formats.ImageAccess;
using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Registry;
using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Formats.Disk;

/// <summary>
/// A composite disk (<see cref="DiskSource"/>'s pieces) readable at any offset, for <c>fpipe mount FOLDER</c>
/// (docs/formats/clonezilla.md, "Mounting a folder"): byte ranges of files read in place, each partition image through
/// its format's random-access reader (<see cref="ImageFormatRegistry.OpenRandomAccessAsync"/>), raw partition images
/// as they are, swap headers generated once; bytes no piece covers, and the bytes of a partition past the end of its
/// image, read as zeros. Every piece is opened, and every refusal or size problem thrown, by <see cref="OpenAsync"/>.
/// <see cref="Read"/> is thread-safe: the pieces' readers are, and this class keeps no per-call state.
/// </summary>
public sealed class DiskRandomAccess : IRandomAccessImage
{
    private readonly DiskPiece[] _pieces;
    private readonly IRandomAccessImage?[] _images;
    private readonly SafeFileHandle?[] _files;
    private readonly byte[]?[] _swapPages;

    private DiskRandomAccess(string path, string format, long length, IReadOnlyList<DiskPiece> pieces)
    {
        Path = path;
        Format = format;
        Length = length;
        _pieces = [.. pieces];
        _images = new IRandomAccessImage?[_pieces.Length];
        _files = new SafeFileHandle?[_pieces.Length];
        _swapPages = new byte[]?[_pieces.Length];
    }

    /// <inheritdoc />
    public string Path { get; }

    /// <inheritdoc />
    public string Format { get; }

    /// <inheritdoc />
    public long Length { get; }

    /// <inheritdoc />
    public string? FileSystem => null;

    /// <inheritdoc />
    public long IndexMemoryBytes => _images.Sum(image => image?.IndexMemoryBytes ?? 0);

    /// <summary>The pieces in offset order.</summary>
    public IReadOnlyList<DiskPiece> Pieces => _pieces;

    /// <summary>
    /// Opens every piece of a disk of <paramref name="size"/> bytes. A partition image that cannot be read at random
    /// offsets (compressed, or of a format without random access) is refused with <paramref name="remedy"/>, the
    /// command that helps, in the message.
    /// </summary>
    /// <param name="path">The disk's name (a folder) for messages.</param>
    /// <param name="format">The format name shown (<c>clonezilla</c>, <c>disk</c>).</param>
    /// <param name="size">Bytes of the disk.</param>
    /// <param name="pieces">The pieces in any order.</param>
    /// <param name="formats">The formats partition images are opened with.</param>
    /// <param name="options">Index size, verification and fill of the images' readers.</param>
    /// <param name="remedy">What to run instead when an image cannot be read at random offsets.</param>
    /// <param name="cancellationToken">Cancels the opening of the images.</param>
    /// <exception cref="RandomAccessRefusedException">An image is compressed or has no random-access reader.</exception>
    /// <exception cref="JobValidationException">The pieces overlap or do not fit, a file is missing or short, an image
    /// holds more than its partition.</exception>
    /// <exception cref="ImageFormatException">An image is damaged or of no known format.</exception>
    public static async ValueTask<DiskRandomAccess> OpenAsync(string path, string format, long size, IEnumerable<DiskPiece> pieces,
        ImageFormatRegistry formats, RandomAccessOptions options, string remedy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(formats);
        ArgumentNullException.ThrowIfNull(options);
        var disk = new DiskRandomAccess(path, format, size, DiskLayout.Order(size, pieces, path));
        try
        {
            for (int i = 0; i < disk._pieces.Length; i++)
            {
                await disk.OpenPieceAsync(i, formats, options, remedy, cancellationToken).ConfigureAwait(false);
            }
            return disk;
        }
        catch
        {
            disk.Dispose();
            throw;
        }
    }

    /// <summary>The bytes of <paramref name="piece"/> (a partition of this disk) as a file of its own.</summary>
    public IRandomAccessImage Slice(DiskPiece piece)
    {
        ArgumentNullException.ThrowIfNull(piece);
        int index = Array.IndexOf(_pieces, piece);
        if (index < 0)
        {
            throw new ArgumentException($"{piece.Name} is not a piece of this disk", nameof(piece));
        }
        return new RandomAccessSlice(this, piece.Offset, piece.Length, $"{Path}:{piece.Name}", _images[index]?.Format ?? (piece.Kind != DiskPieceKind.Swap ? RawRandomAccess.FormatName : piece.Swap?.Zeros == true ? "zeros" : "swap"),
            _images[index]?.FileSystem);
    }

    /// <inheritdoc />
    public int Read(long offset, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset >= Length)
        {
            return 0;
        }
        Span<byte> wanted = destination[..(int)Math.Min(destination.Length, Length - offset)];
        wanted.Clear();
        long end = offset + wanted.Length;
        for (int i = FirstPieceEndingAfter(offset); i < _pieces.Length && _pieces[i].Offset < end; i++)
        {
            DiskPiece piece = _pieces[i];
            long from = Math.Max(offset, piece.Offset);
            long to = Math.Min(end, piece.End);
            ReadPiece(i, from - piece.Offset, wanted.Slice((int)(from - offset), (int)(to - from)));
        }
        return wanted.Length;
    }

    /// <inheritdoc />
    public JsonObject Describe()
    {
        var pieces = new JsonArray();
        for (int i = 0; i < _pieces.Length; i++)
        {
            JsonObject piece = _pieces[i].Describe();
            piece["image"] = _images[i]?.Describe();
            pieces.Add((JsonNode)piece);
        }
        return new JsonObject { ["format"] = Format, ["size"] = Length, ["pieces"] = pieces };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        for (int i = 0; i < _pieces.Length; i++)
        {
            _images[i]?.Dispose();
            _images[i] = null;
            _files[i]?.Dispose();
            _files[i] = null;
        }
    }

    private async ValueTask OpenPieceAsync(int index, ImageFormatRegistry formats, RandomAccessOptions options, string remedy, CancellationToken cancellationToken)
    {
        DiskPiece piece = _pieces[index];
        switch (piece.Kind)
        {
            case DiskPieceKind.Bytes:
                _files[index] = OpenFileRange(piece);
                break;
            case DiskPieceKind.Swap:
                _swapPages[index] = SwapPage(piece);
                break;
            case DiskPieceKind.Image:
                _images[index] = await OpenImageAsync(piece, formats, options, remedy, cancellationToken).ConfigureAwait(false);
                break;
            case DiskPieceKind.RawImage:
                _images[index] = OpenRaw(piece, options, remedy);
                break;
        }
    }

    private SafeFileHandle OpenFileRange(DiskPiece piece)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(piece.Path!, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new JobValidationException(Path, "$.source.pieces", $"{piece.Name}: cannot open {piece.Path}: {ex.Message}", ex);
        }
        long length = RandomAccess.GetLength(handle);
        if (piece.FileOffset < 0 || length - piece.FileOffset < piece.Length)
        {
            handle.Dispose();
            throw new JobValidationException(Path, "$.source.pieces",
                $"{piece.Name}: {piece.Path} has {length} bytes; the piece needs bytes {piece.FileOffset}..{piece.FileOffset + piece.Length} of it");
        }
        return handle;
    }

    private byte[] SwapPage(DiskPiece piece)
    {
        if (piece.Swap?.Zeros == true)
        {
            // Zeros instead of a swap area: the page reads as zeros like the rest of the partition.
            return new byte[SwapHeader.DefaultPageSize];
        }
        int pageSize = piece.Swap?.PageSize ?? SwapHeader.DefaultPageSize;
        if (pageSize is < 4096 or > 64 * 1024)
        {
            throw new JobValidationException(Path, "$.source.pieces", $"{piece.Name}: page size {pageSize} is not 4096 to 65536");
        }
        byte[] page = new byte[pageSize];
        try
        {
            SwapHeader.Write(page, piece.Length, piece.Swap?.Uuid, piece.Swap?.Label);
        }
        catch (ArgumentException ex)
        {
            throw new JobValidationException(Path, "$.source.pieces", $"{piece.Name}: {ex.Message}");
        }
        return page;
    }

    private async ValueTask<IRandomAccessImage> OpenImageAsync(DiskPiece piece, ImageFormatRegistry formats, RandomAccessOptions options, string remedy, CancellationToken cancellationToken)
    {
        IRandomAccessImage image;
        try
        {
            image = await formats.OpenRandomAccessAsync(piece.Path!, options, cancellationToken).ConfigureAwait(false);
        }
        catch (RandomAccessRefusedException ex)
        {
            // The image's own remedy (decompress that file) would write beside the evidence; the disk's is the caller's.
            throw new RandomAccessRefusedException(Path, $"{piece.Name}: {ex.Path} {ex.Reason}", remedy);
        }
        if (image.Format == RawRandomAccess.FormatName)
        {
            // The sequential reader refuses an image of no known format too: a partition image is never plain bytes here.
            image.Dispose();
            throw new ImageFormatException(piece.Path!, "magic", 0, $"{piece.Name}: not an image of a format fpipe reads ({string.Join(", ", formats.Formats.Select(format => format.Type))})");
        }
        if (image.Length > piece.Length)
        {
            (long length, string type) = (image.Length, image.Format);
            image.Dispose();
            throw new JobValidationException(Path, "$.source.pieces",
                $"{piece.Name}: the {type} image {piece.Path} holds a {length}-byte partition, larger than its {piece.Length}-byte partition at disk byte {piece.Offset}");
        }
        return image;
    }

    private RawRandomAccess OpenRaw(DiskPiece piece, RandomAccessOptions options, string remedy)
    {
        ImageFile file = ImageFile.Open(piece.Path!);
        try
        {
            byte[] probe = new byte[SequentialImage.ProbeSize];
            int length = file.ReadAt(0, probe);
            if (CompressedInput.Detect(probe.AsSpan(0, length)) is CompressedInput compressed)
            {
                throw new RandomAccessRefusedException(Path, $"{piece.Name}: {piece.Path} is {compressed.Name}-compressed, which cannot be read at random offsets", remedy);
            }
            if (file.Length > piece.Length)
            {
                throw new JobValidationException(Path, "$.source.pieces",
                    $"{piece.Name}: the raw image {piece.Path} has {file.Length} bytes, more than its {piece.Length}-byte partition at disk byte {piece.Offset}");
            }
            return RawRandomAccess.Open(file, options);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Reads <paramref name="destination"/> (already zero) at <paramref name="offset"/> of piece <paramref name="index"/>.</summary>
    private void ReadPiece(int index, long offset, Span<byte> destination)
    {
        DiskPiece piece = _pieces[index];
        switch (piece.Kind)
        {
            case DiskPieceKind.Bytes:
                ReadFile(piece, _files[index]!, piece.FileOffset + offset, destination);
                break;
            case DiskPieceKind.Swap:
                byte[] page = _swapPages[index]!;
                if (offset < page.Length)
                {
                    int count = (int)Math.Min(destination.Length, page.Length - offset);
                    page.AsSpan((int)offset, count).CopyTo(destination);
                }
                break;
            default:
                IRandomAccessImage image = _images[index]!;
                // Past the image's partition size the partition reads as zeros, as restoredisk leaves it.
                if (offset < image.Length)
                {
                    Span<byte> part = destination[..(int)Math.Min(destination.Length, image.Length - offset)];
                    int done = 0;
                    while (done < part.Length)
                    {
                        int got = image.Read(offset + done, part[done..]);
                        if (got == 0)
                        {
                            break;
                        }
                        done += got;
                    }
                }
                break;
        }
    }

    private static void ReadFile(DiskPiece piece, SafeFileHandle handle, long offset, Span<byte> destination)
    {
        int done = 0;
        try
        {
            while (done < destination.Length)
            {
                int got = RandomAccess.Read(handle, destination[done..], offset + done);
                if (got == 0)
                {
                    throw new DeviceIOException(piece.Path!, offset + done, $"{piece.Name}: the file ended {destination.Length - done} bytes early (it shrank while mounted)");
                }
                done += got;
            }
        }
        catch (IOException ex)
        {
            throw new DeviceIOException(piece.Path!, offset + done, $"{piece.Name}: cannot read: {ex.Message}", ex);
        }
    }

    /// <summary>The index of the first piece whose end lies after <paramref name="offset"/> (the pieces do not overlap,
    /// so ends ascend with offsets).</summary>
    private int FirstPieceEndingAfter(long offset)
    {
        int low = 0, high = _pieces.Length;
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (_pieces[middle].End <= offset)
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
}
