using ForensicPipe.Core.Errors;

namespace ForensicPipe.Formats.Input;

/// <summary>
/// The decoder of each compressor: the system library called through <c>LibraryImport</c>, chosen by measurement
/// (benchmarks/ForensicPipe.Benchmarks/DecoderBenchmarks.cs, docs/formats/compression-and-split.md): about 2× the
/// managed port for zstd, 1.5× for xz, equal for lz4; for gzip the BCL's GZipStream is faster but accepts a member
/// cut short, so zlib it is. A library missing at run time is one line naming it and its Debian package (bzip2 falls
/// back to SharpZipLib).
/// </summary>
internal static class DecoderFactory
{
    /// <summary>Whether the library of <paramref name="compression"/> can be loaded here.</summary>
    public static bool IsAvailable(ImageCompression compression) => compression switch
    {
        ImageCompression.Gzip => GzipDecoder.IsAvailable,
        ImageCompression.Bzip2 => Bzip2Decoder.IsAvailable,
        ImageCompression.Zstd => ZstdDecoder.IsAvailable,
        ImageCompression.Xz => XzDecoder.IsAvailable,
        ImageCompression.Lz4 => Lz4Decoder.IsAvailable,
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "not a compressor"),
    };

    /// <summary>A new decoder for <paramref name="compression"/>.</summary>
    /// <exception cref="ImageFormatException">Its library is not installed (<paramref name="path"/> names the image).</exception>
    public static ICompressedDecoder Create(ImageCompression compression, string path)
    {
        if (!IsAvailable(compression))
        {
            (string library, string package) = Library(compression);
            throw new ImageFormatException(path, "compression", 0,
                $"the image is {Name(compression)}-compressed and {library} (Debian package {package}) is not installed");
        }
        return compression switch
        {
            ImageCompression.Gzip => new GzipDecoder(),
            ImageCompression.Bzip2 => new Bzip2Decoder(),
            ImageCompression.Zstd => new ZstdDecoder(),
            ImageCompression.Xz => new XzDecoder(),
            ImageCompression.Lz4 => new Lz4Decoder(),
            _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "not a compressor"),
        };
    }

    /// <summary>The compressor's command name.</summary>
    public static string Name(ImageCompression compression) => compression.ToString().ToLowerInvariant();

    private static (string Library, string Package) Library(ImageCompression compression) => compression switch
    {
        ImageCompression.Gzip => (GzipDecoder.Library, GzipDecoder.Package),
        ImageCompression.Bzip2 => (Bzip2Decoder.Library, Bzip2Decoder.Package),
        ImageCompression.Zstd => (ZstdDecoder.Library, ZstdDecoder.Package),
        ImageCompression.Xz => (XzDecoder.Library, XzDecoder.Package),
        _ => (Lz4Decoder.Library, Lz4Decoder.Package),
    };
}
