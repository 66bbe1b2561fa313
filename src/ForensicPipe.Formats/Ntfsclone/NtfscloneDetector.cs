namespace ForensicPipe.Formats.Ntfsclone;

/// <summary>Recognises an ntfsclone special image (<c>ntfsclone --save-image</c>) from its first bytes: a NUL and
/// <c>ntfsclone-image</c> at byte 0 (docs/formats/README.md, "Detection").</summary>
public static class NtfscloneDetector
{
    /// <summary>Bytes needed to detect the format.</summary>
    public const int HeaderSize = NtfscloneFieldOffsets.MagicLength;

    /// <summary>The 16-byte magic; its first byte is NUL.</summary>
    internal static ReadOnlySpan<byte> Magic => "\0ntfsclone-image"u8;

    /// <summary>Whether <paramref name="header"/> starts an ntfsclone special image.</summary>
    public static bool TryDetect(ReadOnlySpan<byte> header) => header.StartsWith(Magic);
}
