using System.Buffers.Binary;
using ForensicPipe.Formats.Checksums;
using ForensicPipe.Formats.Partimage;
using static ForensicPipe.Formats.Partimage.PartimageFieldOffsets;

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
        long at = Volume.Size;
        if (!FixHeader(image, at))
        {
            return;
        }
        long mbrCount = BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan((int)at + Main.MbrCount));
        long mbrSize = BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan((int)at + Main.MbrSize));
        at += StructureSize + HeaderSumLength + PartimageMagic.MbrBackup.Length + (mbrCount * mbrSize);
        for (int i = 0; i < Extension.Count; i++)
        {
            if (!Inside(image, at, PartimageMagic.ExtensionLength + Extension.LengthFieldSize))
            {
                return;
            }
            at += PartimageMagic.ExtensionLength + Extension.LengthFieldSize + BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan((int)at + PartimageMagic.ExtensionLength));
        }
        at += PartimageMagic.LocalHeader.Length;
        if (!FixHeader(image, at))
        {
            return;
        }
        ulong blockSize = BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan((int)at + Local.BlockSize));
        ulong used = BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan((int)at + Local.UsedBlocks));
        ulong bitmapSize = BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan((int)at + Local.BitmapSize));
        if (bitmapSize > (ulong)image.Length)
        {
            return;
        }
        at += StructureSize + HeaderSumLength + PartimageMagic.Bitmap.Length + (long)bitmapSize + PartimageMagic.Info.Length;
        if (!FixHeader(image, at))
        {
            return;
        }
        at += StructureSize + HeaderSumLength + PartimageMagic.DataBlocks.Length;
        // Data bytes, a CHK after every 65536 of them (docs/formats/partimage.md, "Data blocks and CHK records").
        UInt128 dataBytes = (UInt128)blockSize * used;
        if (dataBytes > (ulong)image.Length)
        {
            return;
        }
        long data = (long)dataBytes;
        for (long done = 0; done + Chk.Interval <= data; done += Chk.Interval)
        {
            if (!Inside(image, at, Chk.Interval + Chk.Size))
            {
                return;
            }
            uint crc = ~Crc32.Update(0xFFFFFFFF, image.AsSpan((int)at, Chk.Interval));
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan((int)at + Chk.Interval + Chk.Crc), crc);
            at += Chk.Interval + Chk.Size;
        }
        at += (data % Chk.Interval) + PartimageMagic.Tail.Length;
        if (!Inside(image, at, sizeof(ulong)))
        {
            return;
        }
        // The tail sum: unsigned bytes of the logical stream through the tail magic.
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan((int)at), PartimageSums.ByteSum(image.AsSpan(Volume.Size, (int)at - Volume.Size)));
    }

    /// <summary>Rewrites the signed-byte sum after the 16384-byte header at <paramref name="at"/>; false when the
    /// header and its sum are not inside the input.</summary>
    private static bool FixHeader(byte[] image, long at)
    {
        if (!Inside(image, at, StructureSize + HeaderSumLength))
        {
            return false;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan((int)at + StructureSize), PartimageSums.SignedByteSum(image.AsSpan((int)at, StructureSize)));
        return true;
    }

    private static bool Inside(byte[] image, long at, long length) => at >= 0 && length >= 0 && at <= image.Length - length;
}
