namespace ForensicPipe.Formats.Partimage;

/// <summary>
/// Recognises a partimage volume from its first (decompressed) bytes: <c>PaRtImAgE-VoLuMe</c> then NULs up to
/// byte 32 (docs/formats/README.md, "Detection"; docs/formats/partimage.md, "Volume header"). gzip and bzip2 volumes
/// are decompressed by the input layer before this runs.
/// </summary>
public static class PartimageDetector
{
    /// <summary>Bytes needed to detect the format: the volume header's magic field.</summary>
    public const int HeaderSize = PartimageFieldOffsets.Volume.MagicLength;

    /// <summary>Whether <paramref name="header"/> starts a partimage volume.</summary>
    /// <param name="header">At least <see cref="HeaderSize"/> bytes from the start of the (decompressed) file.</param>
    public static bool TryDetect(ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderSize || !header.StartsWith(PartimageMagic.Volume))
        {
            return false;
        }
        return !header[PartimageMagic.Volume.Length..HeaderSize].ContainsAnyExcept((byte)0);
    }
}
