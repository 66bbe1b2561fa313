using ForensicPipe.Formats.Input;

namespace ForensicPipe.Formats.Partimage;

/// <summary>One volume file of a partimage image as it was read.</summary>
/// <param name="Number">The volume number from its header (0, 1, …).</param>
/// <param name="Path">The file (<c>-</c> for standard input).</param>
/// <param name="Compression">How the file is compressed (by its magic bytes, docs/formats/partimage.md,
/// "Files, volumes and compression").</param>
/// <param name="LogicalStart">Logical-stream offset of the first byte after its 512-byte volume header.</param>
public sealed record PartimageVolume(uint Number, string Path, ImageCompression Compression, long LogicalStart)
{
    /// <summary>Logical bytes read from this volume so far (all of them once the next volume is open).</summary>
    public long LogicalLength { get; internal set; }
}
