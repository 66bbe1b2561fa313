namespace ForensicPipe.Formats.Partclone;

/// <summary>
/// Recognises a partclone image from its first bytes: <c>partclone-image</c> at byte 0 and the format
/// version text at byte 30 (docs/formats/README.md, "Detection").
/// </summary>
public static class PartcloneDetector
{
    /// <summary>Bytes needed to detect the format and its version.</summary>
    public const int HeaderSize = PartcloneFieldOffsets.FormatVersion + PartcloneFieldOffsets.FormatVersionLength;

    /// <summary>The magic common to both versions (format 0002 adds a NUL, format 0001 the fs name).</summary>
    internal static ReadOnlySpan<byte> Magic => "partclone-image"u8;

    internal static ReadOnlySpan<byte> Version1Text => "0001"u8;

    internal static ReadOnlySpan<byte> Version2Text => "0002"u8;

    /// <summary>
    /// Whether <paramref name="header"/> starts a partclone image. It is one when the magic matches; then
    /// <paramref name="version"/> is <see cref="PartcloneImageVersion.V1"/>, <see cref="PartcloneImageVersion.V2"/>
    /// or <see cref="PartcloneImageVersion.Unknown"/> (the reader refuses the last one with a precise error
    /// rather than calling the file an unknown format).
    /// </summary>
    /// <param name="header">At least <see cref="HeaderSize"/> bytes from the start of the file.</param>
    /// <param name="version">The format version when detected.</param>
    /// <returns>True when the magic matches and enough bytes were given.</returns>
    public static bool TryDetect(ReadOnlySpan<byte> header, out PartcloneImageVersion version)
    {
        version = PartcloneImageVersion.Unknown;
        if (header.Length < HeaderSize || !header.StartsWith(Magic))
        {
            return false;
        }

        ReadOnlySpan<byte> text = header.Slice(PartcloneFieldOffsets.FormatVersion, PartcloneFieldOffsets.FormatVersionLength);
        if (text.SequenceEqual(Version2Text))
        {
            version = PartcloneImageVersion.V2;
        }
        else if (text.SequenceEqual(Version1Text))
        {
            version = PartcloneImageVersion.V1;
        }
        return true;
    }
}
