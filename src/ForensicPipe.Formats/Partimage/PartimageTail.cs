using System.Buffers.Binary;
using T = ForensicPipe.Formats.Partimage.PartimageFieldOffsets.Tail;

namespace ForensicPipe.Formats.Partimage;

/// <summary>The tail (docs/formats/partimage.md, "Tail"): 16384 bytes after <c>MAGIC-BEGIN-TAIL</c>, the last thing in
/// the image.</summary>
/// <param name="Offset">Logical offset of the tail's first byte.</param>
/// <param name="GlobalSum">The stored 64-bit byte sum of the logical stream (docs/formats/partimage.md,
/// "Checksums").</param>
/// <param name="LastVolume">Number of the last volume (0 when single).</param>
public readonly record struct PartimageTail(long Offset, ulong GlobalSum, uint LastVolume)
{
    /// <summary>Reads the fields of the 16384 tail bytes at logical offset <paramref name="offset"/>.</summary>
    public static PartimageTail Parse(ReadOnlySpan<byte> tail, long offset)
    {
        if (tail.Length < PartimageFieldOffsets.StructureSize)
        {
            throw new ArgumentException("The tail is 16384 bytes.", nameof(tail));
        }
        return new PartimageTail(offset,
            BinaryPrimitives.ReadUInt64LittleEndian(tail[T.GlobalSum..]),
            BinaryPrimitives.ReadUInt32LittleEndian(tail[T.LastVolume..]));
    }
}
