using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Ntfsclone;
using ForensicPipe.Formats.Partclone;
using ForensicPipe.Formats.Partimage;

namespace ForensicPipe.Formats.Detection;

/// <summary>Tells the image formats apart by their first bytes (docs/formats/README.md, "Detection"), after undoing a
/// gzip or bzip2 compression of the whole file.</summary>
public static class ImageFormatDetector
{
    /// <summary>Format names as job source types.</summary>
    public const string Partclone = "partclone";

    /// <summary>ntfsclone special image.</summary>
    public const string Ntfsclone = "ntfsclone";

    /// <summary>partimage 0.6.x: <c>PaRtImAgE-VoLuMe</c> volume magic (after gzip/bzip2 decompression).</summary>
    public const string Partimage = "partimage";

    /// <summary>Detects the format of the image at <paramref name="path"/> (<c>-</c>: standard input, whose bytes
    /// are kept for the reader that follows).</summary>
    public static string Detect(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using SequentialImage image = SequentialImage.OpenForDetection(path);
        return Detect(image.Probe);
    }

    /// <summary>Detects the format from the first bytes of the (decompressed) image.</summary>
    public static string Detect(ReadOnlySpan<byte> probe)
    {
        if (PartcloneDetector.TryDetect(probe, out _))
        {
            return Partclone;
        }
        if (NtfscloneDetector.TryDetect(probe))
        {
            return Ntfsclone;
        }
        if (PartimageDetector.TryDetect(probe))
        {
            return Partimage;
        }
        string first = Convert.ToHexStringLower(probe[..Math.Min(16, probe.Length)]);
        throw new ImageFormatException("image", "magic", 0,
            $"not a partclone, partimage or ntfsclone image (first bytes {(first.Length == 0 ? "none: the file is empty" : first)})");
    }

    /// <summary>Opens the reader of <paramref name="format"/> (a name from <see cref="Detect(string)"/>) on
    /// <paramref name="path"/>.</summary>
    public static IExtentSource OpenReader(string format, string path) => format switch
    {
        Partclone => PartcloneReader.Open(path),
        Ntfsclone => NtfscloneReader.Open(path),
        Partimage => PartimageReader.Open(path),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not an image format name"),
    };
}
