using ForensicPipe.Core.Errors;
using ICSharpCode.SharpZipLib.BZip2;

namespace ForensicPipe.Formats.Input;

/// <summary>
/// An image opened for one forward pass the way users store it: a file, a FIFO or standard input (<c>-</c>), or the
/// pieces of a split set (<see cref="SplitSet"/>), plain or compressed as a whole with gzip, bzip2, zstd, xz or lz4
/// (detected by magic bytes, docs/formats/compression-and-split.md; decoded on a thread of its own by
/// <see cref="DecoderThreadStream"/>). <see cref="Stream"/> yields the decompressed image from its first byte;
/// <see cref="Probe"/> holds its first bytes for format detection (they are also replayed by <see cref="Stream"/>).
/// </summary>
internal sealed class SequentialImage : IDisposable
{
    /// <summary>Bytes looked at to detect compression and format: a partimage volume header (512) is the longest
    /// thing any detector needs.</summary>
    public const int ProbeSize = 512;

    /// <summary>Buffer between the file and SharpZipLib's bzip2 decoder (used when libbz2 is missing).</summary>
    private const int Bzip2InputBufferSize = 64 * 1024;

    private SequentialImage(Stream stream, ImageCompression compression, byte[] probe)
    {
        Stream = stream;
        Compression = compression;
        Probe = probe;
    }

    /// <summary>The decompressed image from its first byte.</summary>
    public Stream Stream { get; }

    /// <summary>How the file is compressed.</summary>
    public ImageCompression Compression { get; }

    /// <summary>Up to <see cref="ProbeSize"/> first bytes of the decompressed image (fewer only when it is shorter).</summary>
    public byte[] Probe { get; }

    /// <summary>Opens <paramref name="path"/> for the reader (standard input or a FIFO from its first byte, even after
    /// <see cref="OpenForDetection"/>; a piece of a split set as the whole set).</summary>
    public static SequentialImage Open(string path) => Open(path, forDetection: false);

    /// <summary>Opens <paramref name="path"/> to look at its first bytes only; from standard input or a FIFO the bytes
    /// read are kept for the reader that follows (<see cref="OnceOnlyInputs"/>).</summary>
    public static SequentialImage OpenForDetection(string path) => Open(path, forDetection: true);

    /// <summary>Detects the compressor from the first bytes of a file.</summary>
    public static ImageCompression DetectCompression(ReadOnlySpan<byte> first) =>
        CompressedInput.Detect(first)?.Compression ?? ImageCompression.None;

    private static SequentialImage Open(string path, bool forDetection)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        // Split pieces are regular files, which OnceOnlyInputs keeps nothing of: opening them again is harmless.
        Stream raw = SplitSet.Find(path) is SplitSet set
            ? set.OpenStream()
            : forDetection ? OnceOnlyInputs.OpenForDetection(path, OpenFile) : OpenForReading(path);
        return Open(raw, path, onThread: !forDetection);
    }

    /// <summary>Wraps an opened input (a FIFO must not be opened twice) from its current position; takes it over.</summary>
    public static SequentialImage Open(Stream raw, string path) => Open(raw, path, onThread: true);

    /// <summary>With <paramref name="onThread"/>, a compressed input is decoded on a thread of its own; without it, as it
    /// is read (detection: nothing may read a pipe after the probe is taken).</summary>
    private static SequentialImage Open(Stream raw, string path, bool onThread)
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
                    : onThread ? new DecoderThreadStream(stream, DecoderFactory.Create(compression, path), locate)
                    : new DecoderStream(stream, DecoderFactory.Create(compression, path), locate);
                (stream, probe) = Peek(decompressed, path, compression);
            }
            return new SequentialImage(stream, compression, probe);
        }
        catch
        {
            raw.Dispose();
            throw;
        }
    }

    /// <summary>Standard input or a FIFO kept by detection, else the file opened now.</summary>
    public static Stream OpenForReading(string path) => OnceOnlyInputs.TryTake(path, out Stream kept)
        ? kept
        : path == Core.Sources.FileSource.StandardInput ? Console.OpenStandardInput()
        : SplitSet.Find(path) is SplitSet set ? set.OpenStream() : OpenFile(path);

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
