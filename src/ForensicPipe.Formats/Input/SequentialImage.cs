using System.IO.Compression;
using ForensicPipe.Core.Errors;
using ICSharpCode.SharpZipLib.BZip2;

namespace ForensicPipe.Formats.Input;

/// <summary>
/// An image opened for one forward pass the way users store it: a file, a FIFO or standard input (<c>-</c>),
/// plain or compressed as a whole with gzip or bzip2 (detected by magic bytes, docs/formats/README.md, "Compression wrappers"). It is opened
/// once: <see cref="Probe"/> holds the first bytes for format detection, and <see cref="Stream"/> yields the
/// decompressed image from its first byte (replaying them), so detection and the reader share one input.
/// </summary>
public sealed class SequentialImage : IDisposable
{
    /// <summary>Bytes looked at to detect compression and format: a partimage volume header (512) is the longest
    /// thing any detector needs.</summary>
    public const int ProbeSize = 512;

    /// <summary>Buffer between the file and the bzip2 decoder.</summary>
    private const int Bzip2InputBufferSize = 64 * 1024;

    private SequentialImage(string path, Stream stream, ImageCompression compression, byte[] probe, FileStream? seekableFile)
    {
        Path = path;
        Stream = stream;
        Compression = compression;
        Probe = probe;
        SeekableFile = seekableFile;
    }

    /// <summary>The path it was opened from (<c>-</c>: standard input).</summary>
    public string Path { get; }

    /// <summary>The decompressed image from its first byte.</summary>
    public Stream Stream { get; }

    /// <summary>How the file is compressed.</summary>
    public ImageCompression Compression { get; }

    /// <summary>Up to <see cref="ProbeSize"/> first bytes of the decompressed image (fewer only when it is shorter).</summary>
    public byte[] Probe { get; }

    /// <summary>The file itself when it is a regular, uncompressed file (for readers that can also read at
    /// offsets); its position is past the probe. Null for pipes and compressed images.</summary>
    public FileStream? SeekableFile { get; }

    /// <summary>Opens <paramref name="path"/>: a file, a FIFO or <c>-</c> (standard input).</summary>
    public static SequentialImage Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Stream raw = path == Core.Sources.FileSource.StandardInput ? Console.OpenStandardInput() : OpenFile(path);
        return Open(raw, path);
    }

    /// <summary>Detects gzip or bzip2 from the first bytes of a file.</summary>
    public static ImageCompression DetectCompression(ReadOnlySpan<byte> first) =>
        CompressedInput.Detect(first)?.Name switch
        {
            null => ImageCompression.None,
            "gzip" => ImageCompression.Gzip,
            "bzip2" => ImageCompression.Bzip2,
            _ => ImageCompression.Unsupported,
        };

    /// <summary>Wraps an opened input (a FIFO must not be opened twice) from its current position; takes it over.</summary>
    public static SequentialImage Open(Stream raw, string path)
    {
        ArgumentNullException.ThrowIfNull(raw);
        try
        {
            (Stream stream, byte[] probe) = Peek(raw, path, 0);
            ImageCompression compression = DetectCompression(probe);
            if (compression == ImageCompression.Unsupported)
            {
                CompressedInput wrapper = CompressedInput.Detect(probe)!;
                throw new ImageFormatException("image", "magic", 0,
                    $"the image is {wrapper.Name}-compressed, which is not read here; decompress it first: {wrapper.DecompressCommand(path)}");
            }
            if (compression != ImageCompression.None)
            {
                Stream decompressed = compression == ImageCompression.Gzip
                    ? new GZipStream(stream, CompressionMode.Decompress)
                    : NativeBzip2Stream.IsAvailable
                        ? new NativeBzip2Stream(stream)
                        // SharpZipLib pulls its input a few bytes at a time; unbuffered, that is one pread per ~7 bytes.
                        : new BZip2InputStream(new BufferedStream(stream, Bzip2InputBufferSize)) { IsStreamOwner = true };
                (stream, probe) = Peek(decompressed, path, compression);
            }
            FileStream? seekable = compression == ImageCompression.None && raw is FileStream { CanSeek: true } file ? file : null;
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
