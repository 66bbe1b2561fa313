namespace ForensicPipe.Core.Errors;

/// <summary>
/// An image file is corrupt, truncated or of an unknown format. Carries the field, the value seen,
/// what was expected and the byte offset in the image file, because an examiner needs the offset.
/// </summary>
public sealed class ImageFormatException : ForensicPipeException
{
    /// <summary>Creates the error; the message reads "FORMAT: FIELD at byte OFFSET: DETAIL".</summary>
    public ImageFormatException(string format, string field, long byteOffset, string detail, bool isChecksumMismatch = false)
        : base($"{format}: {field} at byte {byteOffset}: {detail}")
    {
        Format = format;
        Field = field;
        ByteOffset = byteOffset;
        IsChecksumMismatch = isChecksumMismatch;
    }

    /// <summary>The structure is intact but its stored checksum does not match (a header or bitmap CRC):
    /// a verification failure (exit code 3) rather than an unreadable image (exit code 1).</summary>
    public bool IsChecksumMismatch { get; }

    /// <summary>The image format being read (e.g. <c>partclone</c>).</summary>
    public string Format { get; }

    /// <summary>The header field or structure that is wrong.</summary>
    public string Field { get; }

    /// <summary>Offset in the image file (the logical stream for multi-volume images).</summary>
    public long ByteOffset { get; }
}
