namespace ForensicPipe.Formats.Partimage;

/// <summary>
/// A CHK record (docs/formats/partimage.md, "Data blocks and CHK records") whose 65536 data bytes end inside a data
/// extent. The partimage reader attaches the marks of an extent as its <see cref="Core.Extents.Extent.Annotation"/>, an
/// <see cref="System.Collections.Immutable.ImmutableArray{T}"/> in ascending <see cref="Position"/> order (empty
/// when no CHK falls inside it), so that the <see cref="PartimageVerifier"/> checks them on another core.
/// </summary>
/// <param name="Position">Bytes into the extent where the covered 65536 data bytes end (1 .. extent length).</param>
/// <param name="StoredCrc">The stored CRC-32 (docs/formats/partimage.md, "Checksums") of those bytes.</param>
/// <param name="StoredPosition">The stored position field: a block number.</param>
/// <param name="ExpectedPosition">The position partimage writes: the first block of the copy run (at most
/// 262144 bytes of consecutive saved blocks) that holds the last covered byte.</param>
/// <param name="Index">Number of the CHK record (0-based).</param>
/// <param name="ImageOffset">Logical-stream offset of the CHK record.</param>
/// <param name="PartitionOffset">Partition offset of the first data byte it covers.</param>
public readonly record struct PartimageChkMark(
    int Position,
    uint StoredCrc,
    ulong StoredPosition,
    long ExpectedPosition,
    long Index,
    long ImageOffset,
    long PartitionOffset);
