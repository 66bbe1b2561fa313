using ForensicPipe.Core.Errors;
using ICSharpCode.SharpZipLib.BZip2;

namespace ForensicPipe.Formats.Input;

/// <summary>
/// An image opened for one forward pass the way users store it: a file, a FIFO or standard input (<c>-</c>), or the
/// pieces of a split set (<see cref="SplitSet"/>), plain or compressed as a whole with gzip, bzip2, zstd, xz or lz4
/// (detected by magic bytes, docs/formats/compression-and-split.md; decoded on a thread of its own by
/// <see cref="DecoderThreadStream"/>). It is opened once: <see cref="Probe"/> holds the first bytes for format
/// detection, and <see cref="Stream"/> yields the decompressed image from its first byte (replaying them), so
/// detection and the reader share one input (docs/formats/README.md, "Detection").
/// </summary>
public sealed class SequentialImage : IDisposable
{
    /// <summary>Bytes looked at to detect compression and format: a partimage volume header (512) is the longest
    /// thing any detector needs.</summary>
    public const int ProbeSize = 512;

    /// <summary>Buffer between the file and SharpZipLib's bzip2 decoder (used when libbz2 is missing).</summary>
    private const int Bzip2InputBufferSize = 64 * 1024;

    private SequentialImage(string path, Stream stream, ImageCompression compression, byte[] probe, FileStream? seekableFile)
    {
        Path = path;
        Stream = stream;
        Compression = compression;
        Probe = probe;
        SeekableFile = seekableFile;
    }

    /// <summary>The path it was opened from (<c>-</c>: standard input; a split set: the piece given).</summary>
    public string Path { get; }

    /// <summary>The decompressed image from its first byte.</summary>
    public Stream Stream { get; }

    /// <summary>How the file is compressed.</summary>
    public ImageCompression Compression { get; }

    /// <summary>Up to <see cref="ProbeSize"/> first bytes of the decompressed image (fewer only when it is shorter).</summary>
    public byte[] Probe { get; }

    /// <summary>The file itself when it is one regular, uncompressed file (for readers that can also read at
    /// offsets); its position is past the probe. Null for pipes, split sets and compressed images.</summary>
    public FileStream? SeekableFile { get; }

    /// <summary>Opens <paramref name="path"/>: a file, a FIFO, <c>-</c> (standard input), or a piece of a split set
    /// (then the whole set, from its first piece).</summary>
    public static SequentialImage Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Stream raw = path == Core.Sources.FileSource.StandardInput ? Console.OpenStandardInput()
            : SplitSet.Find(path) is SplitSet set ? set.OpenStream()
            : OpenFile(path);
        return Open(raw, path);
    }

    /// <summary>Detects the compressor from the first bytes of a file.</summary>
    public static ImageCompression DetectCompression(ReadOnlySpan<byte> first) =>
        CompressedInput.Detect(first)?.Compression ?? ImageCompression.None;

    /// <summary>Wraps an opened input (a FIFO must not be opened twice) from its current position; takes it over.
    /// A compressed input is decoded on a thread of its own.</summary>
    public static SequentialImage Open(Stream raw, string path)
    {
        ArgumentNullException.ThrowIfNull(raw);
        try
        {
            Func<long, InputLocation> locate = raw is SplitSetStream split
                ? split.Set.Locate
                : offset => new InputLocation(path == Core.Sources.FileSource.StandardInput ? "standard input" : path, offset);
            (Stream stream, byte[] probe) = Peek(raw, path, ImageCompression.None);
            ImageCompression compression = DetectCompression(probe);
            if (compression != ImageCompression.None)
            {
                Stream decompressed = compression == ImageCompression.Bzip2 && !Bzip2Decoder.IsAvailable
                    // SharpZipLib pulls its input a few bytes at a time; unbuffered, that is one pread per ~7 bytes.
                    ? new BZip2InputStream(new BufferedStream(stream, Bzip2InputBufferSize)) { IsStreamOwner = true }
                    : new DecoderThreadStream(stream, DecoderFactory.Create(compression, path), locate);
                (stream, probe) = Peek(decompressed, path, compression);
            }
            FileStream? seekable = compression == ImageCompression.None && raw is FileStream { CanSeek: true } file ? file : null;
            if (seekable is not null)
            {
                // Past the probe, a plain file is read at offsets, large reads in two halves at once.
                stream = new ReplayStream(new SplitReadFileStream(seekable), probe);
            }
            return new SequentialImage(path, stream, compression, probe, seekable);
        }
        catch
        {
            raw.Dispose();
            throw;
        }
    }

    /// <summary>Opens a file or FIFO read-only for one forward pass.</summary>
    public static FileStream OpenFile(string path)
    {
        try
        {
            return new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read,
                Options = FileOptions.SequentialScan,
                BufferSize = 0, // the readers stage small reads themselves
            });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DeviceIOException(path, 0, $"cannot open the image: {ex.Message}", ex);
        }
    }

    private static (Stream Stream, byte[] Probe) Peek(Stream stream, string path, ImageCompression compression)
    {
        byte[] probe = new byte[ProbeSize];
        int got;
        try
        {
            got = stream.ReadAtLeast(probe, probe.Length, throwOnEndOfStream: false);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or BZip2Exception)
        {
            string what = compression == ImageCompression.None ? "cannot read the image" : $"cannot decompress the {compression.ToString().ToLowerInvariant()} image";
            throw new ImageFormatException("image", "first bytes", 0, $"{what}: {ex.Message}");
        }
        Array.Resize(ref probe, got);
        return (new ReplayStream(stream, probe), probe);
    }

    /// <inheritdoc />
    public void Dispose() => Stream.Dispose();
}
