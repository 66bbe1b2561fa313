namespace ForensicPipe.Formats.Partclone;

/// <summary>
/// A stored checksum whose group ends inside a data extent. The partclone reader attaches all marks of an
/// extent to it as its <see cref="Core.Extents.Extent.Annotation"/>, an
/// <see cref="System.Collections.Immutable.ImmutableArray{T}"/> of marks in ascending
/// <see cref="Position"/> order (empty when no group ends inside the extent), so that a verify stage can
/// check the groups on another core.
/// </summary>
/// <param name="Position">Bytes into the extent where the group's last block ends (1 .. extent length).</param>
/// <param name="StoredValue">The stored checksum read as a little-endian number of its 4, 8 or 16 bytes: the
/// u32 CRC of the group (format 0002, mode 0x20), the u64 XXH64 (0x30), the XXH3-128 stored as
/// <c>{low64, high64}</c> (0x31), or the u32 after the block (format 0001).</param>
/// <param name="GroupIndex">Number of the group (0-based); in format 0001 every block is a group, so it is
/// the block's rank.</param>
/// <param name="ImageOffset">Image-file offset of the stored checksum.</param>
/// <param name="PartitionOffset">Partition offset of the group's first byte.</param>
public readonly record struct PartcloneChecksumMark(
    int Position,
    UInt128 StoredValue,
    long GroupIndex,
    long ImageOffset,
    long PartitionOffset);
