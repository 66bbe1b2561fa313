using System.Buffers.Binary;
using System.IO.Hashing;
using ForensicPipe.Formats.Partimage;

namespace ForensicPipe.Fuzz.Targets;

/// <summary>
/// partimage with its checksums recomputed after mutation (docs/formats/partimage.md, "Checksums"): the signed-byte
/// sums of the main, local and info headers, the CRC-32 of every CHK record and the tail sum, found by walking the
/// logical stream of an uncompressed single volume by its own fields (MBR count and size, extension lengths, bitmap
/// size, block size and used blocks). A fuzzer cannot guess a sum, so without this a mutated header field stops at
/// its header sum and a mutated block at its CHK; with it the field checks, the bitmap and the CHK positions are
/// tried. The walk stops where the fields lead outside the input.
/// </summary>
public sealed class PartimageChecksumFixupTarget : ChecksumFixupTarget
{
    private const int VolumeHeaderSize = 512;
    private const int StructureSize = 16384;
    private const int SumLength = 4;
    private const int MbrMagicLength = 21;
    private const int ExtensionMagicLength = 18;
    private const int ExtensionCount = 10;
    private const int LocalMagicLength = 23;
    private const int BitmapMagicLength = 18;
    private const int InfoMagicLength = 16;
    private const int DataMagicLength = 22;
    private const int TailMagicLength = 16;
    private const int ChkInterval = 65536;
    private const int ChkLength = 16;
    private const int ChkCrcOffset = 4;

    // docs/formats/partimage.md, "Main header" and "Local header".
    private const int MainMbrCount = 9792;
    private const int MainMbrSize = 9796;
    private const int LocalBlockSize = 0;
    private const int LocalUsedBlocks = 8;
    private const int LocalBitmapSize = 24;

    /// <summary>The target, reading as the <c>partimage</c> target.</summary>
    public PartimageChecksumFixupTarget()
        : base(new ImageFormatTarget("partimage", PartimageFormat.Instance, "image.000"))
    {
    }

    /// <inheritdoc />
    public override string Name => "partimage-sum";

    /// <inheritdoc />
    public override string Description => "partimage with header sums, CHK CRCs and tail sum recomputed, then as the partimage target";

    /// <inheritdoc />
    /// <remarks>Every sum the walk reaches, in stream order, the tail sum last (it covers the others).</remarks>
    protected override void FixChecksums(byte[] image)
    {
        long at = VolumeHeaderSize;
        if (!FixHeader(image, at))
        {
            return;
        }
        long mbrCount = BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan((int)at + MainMbrCount));
        long mbrSize = BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan((int)at + MainMbrSize));
        at += StructureSize + SumLength + MbrMagicLength + (mbrCount * mbrSize);
        for (int i = 0; i < ExtensionCount; i++)
        {
            if (!Inside(image, at, ExtensionMagicLength + sizeof(uint)))
            {
                return;
            }
            at += ExtensionMagicLength + sizeof(uint) + BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan((int)at + ExtensionMagicLength));
        }
        at += LocalMagicLength;
        if (!FixHeader(image, at))
        {
            return;
        }
        ulong blockSize = BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan((int)at + LocalBlockSize));
        ulong used = BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan((int)at + LocalUsedBlocks));
        ulong bitmapSize = BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan((int)at + LocalBitmapSize));
        if (bitmapSize > (ulong)image.Length)
        {
            return;
        }
        at += StructureSize + SumLength + BitmapMagicLength + (long)bitmapSize + InfoMagicLength;
        if (!FixHeader(image, at))
        {
            return;
        }
        at += StructureSize + SumLength + DataMagicLength;
        // Data bytes, a CHK after every 65536 of them (docs/formats/partimage.md, "Data blocks and CHK records").
        UInt128 dataBytes = (UInt128)blockSize * used;
        if (dataBytes > (ulong)image.Length)
        {
            return;
        }
        long data = (long)dataBytes;
        for (long done = 0; done + ChkInterval <= data; done += ChkInterval)
        {
            if (!Inside(image, at, ChkInterval + ChkLength))
            {
                return;
            }
            uint crc = Crc32.HashToUInt32(image.AsSpan((int)at, ChkInterval));
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan((int)at + ChkInterval + ChkCrcOffset), crc);
            at += ChkInterval + ChkLength;
        }
        at += (data % ChkInterval) + TailMagicLength;
        if (!Inside(image, at, sizeof(ulong)))
        {
            return;
        }
        // The tail sum: unsigned bytes of the logical stream through the tail magic.
        ulong sum = 0;
        foreach (byte b in image.AsSpan(VolumeHeaderSize, (int)at - VolumeHeaderSize))
        {
            sum += b;
        }
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan((int)at), sum);
    }

    /// <summary>Rewrites the signed-byte sum after the 16384-byte header at <paramref name="at"/>; false when the
    /// header and its sum are not inside the input.</summary>
    private static bool FixHeader(byte[] image, long at)
    {
        if (!Inside(image, at, StructureSize + SumLength))
        {
            return false;
        }
        uint sum = 0;
        foreach (byte b in image.AsSpan((int)at, StructureSize))
        {
            sum += (uint)(sbyte)b;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan((int)at + StructureSize), sum);
        return true;
    }

    private static bool Inside(byte[] image, long at, long length) => at >= 0 && length >= 0 && at <= image.Length - length;
}
