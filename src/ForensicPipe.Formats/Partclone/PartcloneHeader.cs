using V1 = ForensicPipe.Formats.Partclone.PartcloneFieldOffsets.V1;
using V2 = ForensicPipe.Formats.Partclone.PartcloneFieldOffsets.V2;

namespace ForensicPipe.Formats.Partclone;

/// <summary>
/// A validated partclone image header, format 0002 or 0001 (docs/formats/partclone.md), with the layout of
/// the rest of the image derived from it. Fields that format 0001 does not store are null; the checksum
/// options of a 0001 image are the ones partclone implies for it (one buggy CRC after every block).
/// </summary>
public sealed partial class PartcloneHeader
{
    /// <summary>Largest block size partclone accepts: 64 MiB.</summary>
    public const int MaxBlockSize = 64 << 20;

    /// <summary>Largest block count partclone accepts: 2^43.</summary>
    public const long MaxTotalBlocks = 1L << 43;

    /// <summary>Endianness marker of a little-endian writer (bytes <c>DE C0</c>).</summary>
    public const ushort LittleEndianMarker = 0xC0DE;

    /// <summary>The marker as read from a big-endian writer's image.</summary>
    public const ushort BigEndianMarker = 0xDEC0;

    /// <summary><c>bitmap_mode</c> 1: one bit per block, the only mode format 0002 writes.</summary>
    public const byte BitmapModeBit = 1;

    /// <summary><c>bitmap_mode</c> 8: one byte per block (format 0001).</summary>
    public const byte BitmapModeByte = 8;

    /// <summary>The CRC register's start value (pc-crc, docs/formats/partclone.md, "Checksums").</summary>
    internal const uint CrcSeed = 0xFFFFFFFF;

    private PartcloneHeader()
    {
    }

    /// <summary>The format version.</summary>
    public PartcloneImageVersion FormatVersion { get; private init; }

    /// <summary>The magic text, <c>partclone-image</c>.</summary>
    public string Magic { get; private init; } = "";

    /// <summary>The format version text, <c>0002</c> or <c>0001</c>.</summary>
    public string FormatVersionText { get; private init; } = "";

    /// <summary>Version of partclone that wrote the image (<c>0.3.23</c>); null for format 0001.</summary>
    public string? PartcloneVersion { get; private init; }

    /// <summary>Endianness marker as read little-endian (<see cref="LittleEndianMarker"/>); null for 0001.</summary>
    public ushort? EndiannessMarker { get; private init; }

    /// <summary>File system name (<c>EXTFS</c>, <c>FAT32</c>, <c>NTFS</c>, …), informational.</summary>
    public string FileSystem { get; private init; } = "";

    /// <summary><c>device_size</c> as stored. Unreliable in format 0001; use <see cref="PartitionSize"/>.</summary>
    public ulong DeviceSize { get; private init; }

    /// <summary>Bytes of the reconstructed partition: device_size (0002) or total × block size (0001).</summary>
    public long PartitionSize { get; private init; }

    /// <summary>Number of blocks of the partition (<c>total_blocks</c>).</summary>
    public long TotalBlocks { get; private init; }

    /// <summary>Used blocks as the file system's superblock reported them (0002 byte 68); informational
    /// only, may differ from <see cref="UsedBlocks"/>. Null for format 0001.</summary>
    public ulong? SuperblockUsedBlocks { get; private init; }

    /// <summary>Blocks stored in the image: the number of set bits the bitmap must have (0002 byte 76,
    /// 0001 byte 56).</summary>
    public long UsedBlocks { get; private init; }

    /// <summary>Bytes per block, 1 .. <see cref="MaxBlockSize"/>.</summary>
    public int BlockSize { get; private init; }

    /// <summary>Size of the options block (18); null for format 0001.</summary>
    public uint? FeatureSize { get; private init; }

    /// <summary>Options-block image version (2); null for format 0001.</summary>
    public ushort? ImageVersion { get; private init; }

    /// <summary>Pointer width of the writer's build (32 or 64); null for format 0001.</summary>
    public ushort? CpuBits { get; private init; }

    /// <summary>Data checksum algorithm (<see cref="PartcloneChecksumMode.Crc32FirstByte"/> for 0001).</summary>
    public PartcloneChecksumMode ChecksumMode { get; private init; }

    /// <summary>Bytes of each stored data checksum: 0 (none), 4 (CRC32), 8 (XXH64) or 16 (XXH3-128).</summary>
    public int ChecksumSize { get; private init; }

    /// <summary>Blocks covered by each checksum (<c>blocks_per_checksum</c>; 1 for 0001; 0 without checksums).</summary>
    public long BlocksPerChecksum { get; private init; }

    /// <summary>Whether the checksum restarts after each stored value (false for <c>-K</c> and for 0001).</summary>
    public bool Reseed { get; private init; }

    /// <summary>Bitmap encoding: <see cref="BitmapModeBit"/> (0002) or <see cref="BitmapModeByte"/> (0001).</summary>
    public byte BitmapMode { get; private init; }

    /// <summary>Header CRC as stored at byte 106; null for format 0001 (it has none).</summary>
    public uint? HeaderCrc { get; private init; }

    /// <summary>Header CRC recomputed over bytes 0..105; equals <see cref="HeaderCrc"/> (else Parse throws).</summary>
    public uint? HeaderCrcComputed { get; private init; }

    /// <summary>Size of the header: 110 (0002) or 4160 (0001).</summary>
    public int HeaderSize { get; private init; }

    /// <summary>Image offset of the bitmap (right after the header).</summary>
    public long BitmapOffset => HeaderSize;

    /// <summary>Bytes of the bitmap in the image: ceil(total / 8) (0002) or total (0001).</summary>
    public long BitmapSize { get; private init; }

    /// <summary>Image offset of what follows the bitmap: its CRC (0002) or <c>BiTmAgIc</c> (0001).</summary>
    public long BitmapTrailerOffset => BitmapOffset + BitmapSize;

    /// <summary>Bytes after the bitmap: 4 (CRC, 0002) or 8 (<c>BiTmAgIc</c>, 0001).</summary>
    public int BitmapTrailerSize => FormatVersion == PartcloneImageVersion.V1 ? V1.BitmapMagicLength : V2.BitmapCrcLength;

    /// <summary>Image offset of the first data block.</summary>
    public long DataStart => BitmapTrailerOffset + BitmapTrailerSize;

    /// <summary>Whether stored checksums are interleaved with the data (mode ≠ 0 and bpc ≠ 0).</summary>
    public bool ChecksumsEnabled => ChecksumSize != 0 && BlocksPerChecksum != 0;

    /// <summary>Number of stored data checksums: ceil(used / bpc) when enabled.</summary>
    public long ChecksumCount { get; private init; }

    /// <summary>Exact size of a complete image file; nothing follows the data section.</summary>
    public long ExpectedImageSize { get; private init; }

    /// <summary>Image offset of the data of the block with rank <paramref name="rank"/> (the number of
    /// present blocks before it), docs/formats/partclone.md, "Random access".</summary>
    public long GetBlockImageOffset(long rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        long checksumsBefore = ChecksumsEnabled ? rank / BlocksPerChecksum : 0;
        return DataStart + (rank * BlockSize) + (checksumsBefore * ChecksumSize);
    }

    /// <summary>Image offset of the stored checksum of group <paramref name="group"/> (0-based),
    /// docs/formats/partclone.md, "Random access".</summary>
    public long GetChecksumImageOffset(long group)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(group);
        if (!ChecksumsEnabled)
        {
            throw new InvalidOperationException("The image has no data checksums.");
        }
        long endRank = Math.Min((group + 1) * BlocksPerChecksum, UsedBlocks);
        return DataStart + (endRank * BlockSize) + (group * ChecksumSize);
    }
}
