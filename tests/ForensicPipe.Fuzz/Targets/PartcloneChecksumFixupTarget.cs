using System.Buffers.Binary;
using System.IO.Hashing;
using ForensicPipe.Formats.Partclone;

namespace ForensicPipe.Fuzz.Targets;

/// <summary>
/// partclone with its header and bitmap CRCs recomputed after mutation (docs/formats/partclone.md, "Format 0002:
/// header" and "bitmap"): a fuzzer cannot guess a CRC-32, so without this nearly every mutated header stops at the
/// header CRC and the fields behind it (device size, block counts, block size, checksum mode) are never tried. It
/// is how a hostile image is made: the 16 TiB header had its CRC recomputed too.
/// </summary>
public sealed class PartcloneChecksumFixupTarget : ChecksumFixupTarget
{
    private const int HeaderCrcOffset = 106;
    private const int BitmapOffset = 110;
    private const int TotalBlocksOffset = 60;

    /// <summary>The target, reading as the <c>partclone</c> target.</summary>
    public PartcloneChecksumFixupTarget()
        : base(new ImageFormatTarget("partclone", PartcloneFormat.Instance, "image.img"))
    {
    }

    /// <inheritdoc />
    public override string Name => "partclone-crc";

    /// <inheritdoc />
    public override string Description => "partclone with header and bitmap CRCs recomputed, then as the partclone target";

    /// <inheritdoc />
    protected override void FixChecksums(byte[] image)
    {
        if (image.Length >= BitmapOffset)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(HeaderCrcOffset), PcCrc(image.AsSpan(0, HeaderCrcOffset)));
            ulong totalBlocks = BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan(TotalBlocksOffset));
            ulong bitmapBytes = (totalBlocks / 8) + (totalBlocks % 8 == 0 ? 0UL : 1UL);
            if (bitmapBytes + BitmapOffset + sizeof(uint) <= (ulong)image.Length)
            {
                int length = (int)bitmapBytes;
                BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(BitmapOffset + length), PcCrc(image.AsSpan(BitmapOffset, length)));
            }
        }
    }

    /// <summary>partclone's CRC-32 without the final inversion: the NOT of the standard CRC-32.</summary>
    private static uint PcCrc(ReadOnlySpan<byte> bytes) => ~Crc32.HashToUInt32(bytes);
}
