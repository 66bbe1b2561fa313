namespace ForensicPipe.Formats.Ewf;

/// <summary>Recognises an EWF-E01 segment file by its signature, <c>EVF\x09\x0d\x0a\xff\x00</c>, followed by the
/// fields-start byte 0x01 (docs/formats/e01.md).</summary>
public static class EwfDetector
{
    /// <summary>Bytes needed: the 13-byte file header.</summary>
    public const int HeaderSize = EwfFormat.FileHeaderSize;

    /// <summary>Whether <paramref name="header"/> starts an E01 segment file.</summary>
    public static bool TryDetect(ReadOnlySpan<byte> header) =>
        header.Length >= HeaderSize && header.StartsWith(EwfFormat.Signature) && header[EwfFieldOffsets.FileFieldsStart] == 1;

    /// <summary>The segment number of a detected segment file (1 for the first).</summary>
    public static int SegmentNumber(ReadOnlySpan<byte> header) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(header[EwfFieldOffsets.FileSegmentNumber..]);
}
