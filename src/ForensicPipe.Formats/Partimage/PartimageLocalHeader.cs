using System.Buffers.Binary;
using System.Text.Json.Nodes;
using L = ForensicPipe.Formats.Partimage.PartimageFieldOffsets.Local;

namespace ForensicPipe.Formats.Partimage;

/// <summary>
/// The local header (docs/formats/partimage.md, "Local header"): partimage block size and counts and the bitmap size;
/// 16384 bytes and their signed-byte sum, after <c>MAGIC-BEGIN-LOCALHEADER</c>.
/// </summary>
public readonly struct PartimageLocalHeader
{
    /// <summary>Largest block size accepted (64 MiB, as for partclone): partimage uses 512..64 KiB.</summary>
    public const long MaxBlockSize = 64L << 20;

    /// <summary>Bitmap bytes accepted beyond <c>ceil(block_count / 8)</c>: ext2 adds 16, NTFS stores its whole
    /// <c>$Bitmap</c> allocation (docs/formats/partimage.md, "Bitmap and info header"). The extra bytes are read and
    /// summed, never stored.</summary>
    public const long MaxBitmapSlack = 64L << 20;

    /// <summary>Logical offset of the header's first byte.</summary>
    public long Offset { get; private init; }

    /// <summary>Bytes per partimage block (not always the file-system block, docs/formats/partimage.md,
    /// "Local header").</summary>
    public int BlockSize { get; private init; }

    /// <summary>Blocks saved in the image: the set bits of the bitmap below <see cref="BlockCount"/>.</summary>
    public long UsedBlocks { get; private init; }

    /// <summary>Blocks of the partition that the bitmap describes.</summary>
    public long BlockCount { get; private init; }

    /// <summary>Bytes of the bitmap in the image.</summary>
    public long BitmapSize { get; private init; }

    /// <summary>Bad blocks as the writer counted them.</summary>
    public ulong BadBlocks { get; private init; }

    /// <summary>File-system label.</summary>
    public string Label { get; private init; }

    /// <summary>The stored sum.</summary>
    public uint StoredSum { get; private init; }

    /// <summary>The recomputed sum; equal to <see cref="StoredSum"/> (else Parse throws).</summary>
    public uint ComputedSum { get; private init; }

    /// <summary>Bytes of the bitmap that hold one bit per block: <c>ceil(block_count / 8)</c>.</summary>
    public long PackedBitmapSize => (BlockCount + 7) / 8;

    /// <summary>
    /// Parses the 16384 header bytes and their sum, at logical offset <paramref name="offset"/>. The sum is checked
    /// first (exit code 3 on mismatch); then the block size (1..64 MiB), used ≤ count, count × size ≤ the
    /// partition size and the bitmap size are validated before anything is allocated from them.
    /// </summary>
    public static PartimageLocalHeader Parse(ReadOnlySpan<byte> header, long offset, long partitionSize)
    {
        const int size = PartimageFieldOffsets.StructureSize;
        if (header.Length < size + PartimageFieldOffsets.HeaderSumLength)
        {
            throw new ArgumentException("The local header and its sum are 16388 bytes.", nameof(header));
        }
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(header[size..]);
        uint computed = PartimageSums.SignedByteSum(header[..size]);
        if (stored != computed)
        {
            PartimageThrowHelper.ThrowChecksumMismatch("local header sum", offset + size,
                $"stored 0x{stored:x8}, computed 0x{computed:x8} over the local header (logical bytes {offset}..{offset + size - 1})");
        }

        ulong blockSize = BinaryPrimitives.ReadUInt64LittleEndian(header[L.BlockSize..]);
        if (blockSize is 0 or > MaxBlockSize)
        {
            PartimageThrowHelper.ThrowInvalid("block_size", offset + L.BlockSize, $"value {blockSize} is outside 1..{MaxBlockSize}");
        }
        ulong blockCount = BinaryPrimitives.ReadUInt64LittleEndian(header[L.BlockCount..]);
        if ((UInt128)blockCount * blockSize > (ulong)partitionSize)
        {
            PartimageThrowHelper.ThrowInvalid("block_count", offset + L.BlockCount,
                $"value {blockCount} × block_size {blockSize} exceeds the partition size {partitionSize} of the main header");
        }
        ulong used = BinaryPrimitives.ReadUInt64LittleEndian(header[L.UsedBlocks..]);
        if (used > blockCount)
        {
            PartimageThrowHelper.ThrowInvalid("used_blocks", offset + L.UsedBlocks, $"value {used} exceeds block_count {blockCount}");
        }
        ulong bitmapSize = BinaryPrimitives.ReadUInt64LittleEndian(header[L.BitmapSize..]);
        ulong packed = (blockCount + 7) / 8;
        if (bitmapSize < packed || bitmapSize - packed > MaxBitmapSlack)
        {
            PartimageThrowHelper.ThrowInvalid("bitmap_size", offset + L.BitmapSize,
                $"value {bitmapSize}; block_count {blockCount} needs {packed} bytes, and at most {MaxBitmapSlack} more are accepted");
        }

        return new PartimageLocalHeader
        {
            Offset = offset,
            BlockSize = (int)blockSize,
            UsedBlocks = (long)used,
            BlockCount = (long)blockCount,
            BitmapSize = (long)bitmapSize,
            BadBlocks = BinaryPrimitives.ReadUInt64LittleEndian(header[L.BadBlocks..]),
            Label = PartimageText.Read(header.Slice(L.Label, L.LabelLength)),
            StoredSum = stored,
            ComputedSum = computed,
        };
    }

    /// <summary>Every field for the report and <c>fpipe info</c>.</summary>
    public JsonObject Describe() => new()
    {
        ["blockSize"] = BlockSize,
        ["usedBlocks"] = UsedBlocks,
        ["blockCount"] = BlockCount,
        ["bitmapSize"] = BitmapSize,
        ["badBlocks"] = BadBlocks,
        ["label"] = Label,
        ["localHeaderSum"] = new JsonObject
        {
            ["offset"] = Offset + PartimageFieldOffsets.StructureSize,
            ["stored"] = $"{StoredSum:x8}",
            ["computed"] = $"{ComputedSum:x8}",
        },
    };
}
