using System.Buffers.Binary;
using ForensicPipe.Formats.Checksums;
using ForensicPipe.Formats.Partclone;
using V2 = ForensicPipe.Formats.Partclone.PartcloneFieldOffsets.V2;

namespace ForensicPipe.Fuzz.Targets;

/// <summary>
/// partclone with its header and bitmap CRCs recomputed after mutation (docs/formats/partclone.md, "Format 0002:
/// header" and "bitmap"): a fuzzer cannot guess a CRC-32, so without this nearly every mutated header stops at the
/// header CRC and the fields behind it (device size, block counts, block size, checksum mode) are never tried. It
/// is how a hostile image is made: the 16 TiB header had its CRC recomputed too.
/// </summary>
public sealed class PartcloneChecksumFixupTarget : ChecksumFixupTarget
{
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
        if (image.Length >= V2.Bitmap)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(V2.HeaderCrc), PcCrc(image.AsSpan(0, V2.HeaderCrc)));
            ulong totalBlocks = BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan(V2.TotalBlocks));
            ulong bitmapBytes = (totalBlocks / 8) + (totalBlocks % 8 == 0 ? 0UL : 1UL);
            if (bitmapBytes + V2.Bitmap + V2.BitmapCrcLength <= (ulong)image.Length)
            {
                int length = (int)bitmapBytes;
                BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(V2.Bitmap + length), PcCrc(image.AsSpan(V2.Bitmap, length)));
            }
        }
    }

    /// <summary>partclone's CRC-32, as the reader computes it: the register from its seed, no final inversion.</summary>
    private static uint PcCrc(ReadOnlySpan<byte> bytes) => Crc32.Update(PartcloneHeader.CrcSeed, bytes);
}
