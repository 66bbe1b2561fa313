using ForensicPipe.Core.Errors;
using ForensicPipe.Formats.Partclone;

namespace ForensicPipe.Formats.Detection;

/// <summary>Tells the image formats apart by their first bytes (formats.md §1).</summary>
public static class ImageFormatDetector
{
    /// <summary>Bytes read to decide.</summary>
    public const int ProbeSize = 64;

    /// <summary>Format names as job source types.</summary>
    public const string Partclone = "partclone";

    /// <summary>Detects the format of the file at <paramref name="path"/>. Standard input (<c>-</c>) cannot be
    /// peeked without consuming it, so it is taken as partclone, the one reader that streams today; the
    /// reader's own magic check then refuses anything else with the offset.</summary>
    public static string Detect(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path == Core.Sources.FileSource.StandardInput)
        {
            return Partclone;
        }
        Span<byte> probe = stackalloc byte[ProbeSize];
        int length;
        try
        {
            using FileStream stream = File.OpenRead(path);
            length = stream.ReadAtLeast(probe, probe.Length, throwOnEndOfStream: false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ForensicPipeException($"{path}: cannot open the image: {exception.Message}", exception);
        }
        probe = probe[..length];
        if (PartcloneDetector.TryDetect(probe, out _))
        {
            return Partclone;
        }
        string first = Convert.ToHexStringLower(probe[..Math.Min(16, probe.Length)]);
        throw new ImageFormatException("image", "magic", 0,
            $"not a partclone image (first bytes {(first.Length == 0 ? "none: the file is empty" : first)}); ntfsclone and partimage readers are not built yet");
    }
}
