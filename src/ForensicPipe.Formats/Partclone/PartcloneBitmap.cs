using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.Intrinsics;
using ForensicPipe.Formats.Bitmaps;

namespace ForensicPipe.Formats.Partclone;

/// <summary>
/// The block bitmap of a partclone image: bit <c>i</c> set = block <c>i</c> is in the image. Bits are
/// stored LSB first (<c>byte[i &gt;&gt; 3] &amp; (1 &lt;&lt; (i &amp; 7))</c>, docs/formats/partclone.md,
/// "Format 0002: bitmap"), in chunks that are allocated only as the bitmap's bytes arrive, so a header that claims a
/// huge bitmap cannot make us allocate more than the bytes actually present plus one chunk. Format 0001's byte bitmap
/// is packed to bits while it is read (only the value 1 means present, docs/formats/partclone.md, "Format 0001").
/// </summary>
public sealed class PartcloneBitmap
{
    /// <summary>Bytes per chunk: 1 MiB = 8 Mi blocks. Also the most we allocate ahead of the data.</summary>
    internal const int ChunkBytes = 1 << 20;

    private const long ChunkBits = (long)ChunkBytes * 8;

    private readonly List<byte[]> _chunks = [];
    private long _bytesFilled;

    internal PartcloneBitmap(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
    }

    /// <summary>Number of blocks the bitmap describes (total_blocks).</summary>
    public long Length { get; }

    /// <summary>Number of set bits below <see cref="Length"/>, once the bitmap is complete.</summary>
    public long SetCount { get; private set; }

    /// <summary>Bytes of packed bitmap memory held.</summary>
    public long AllocatedBytes => _chunks.Sum(c => (long)c.Length);

    /// <summary>Bytes of packed bitmap needed for <see cref="Length"/> bits.</summary>
    internal long PackedSize => (Length + 7) / 8;

    /// <summary>Whether block <paramref name="block"/> is present in the image.</summary>
    public bool IsSet(long block)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(block);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(block, Length);
        byte[] chunk = _chunks[(int)(block / ChunkBits)];
        long bit = block % ChunkBits;
        return (chunk[bit >> 3] & (1 << (int)(bit & 7))) != 0;
    }

    /// <summary>The whole bitmap as maximal runs of present and absent blocks, in block order.</summary>
    public BitmapRuns Runs() => new(this, 0, Length);

    /// <summary>The blocks <c>[<paramref name="start"/>, <paramref name="limit"/>)</c> as maximal runs of present and
    /// absent blocks, in block order; the first run starts at <paramref name="start"/>, the last ends at
    /// <paramref name="limit"/>.</summary>
    public BitmapRuns Runs(long start, long limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, Length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, limit);
        return new BitmapRuns(this, start, limit);
    }

    /// <summary>Bits per chunk (a power of two): a range of bits that does not cross a multiple of this
    /// lies in one chunk.</summary>
    internal const long BitsPerChunk = ChunkBits;

    /// <summary>The packed bits of chunk <paramref name="index"/> (bit <c>i</c> of the chunk is block
    /// <c>index × BitsPerChunk + i</c>), a whole number of 64-bit words long; bits at or beyond
    /// <see cref="Length"/> are whatever the image stored. For rank queries of a complete bitmap.</summary>
    internal ReadOnlySpan<byte> GetChunk(int index) => _chunks[index];

    /// <summary>Allocates the next piece of packed storage, of <paramref name="length"/> bytes at most (and
    /// at most one chunk), for a bit bitmap read straight into it. The bytes before it must be complete.</summary>
    internal Memory<byte> NextPackedSegment(long length)
    {
        int inChunk = (int)(_bytesFilled % ChunkBytes);
        byte[] chunk = ChunkForFill();
        int count = (int)Math.Min(length, Math.Min(ChunkBytes - inChunk, PackedSize - _bytesFilled));
        return chunk.AsMemory(inChunk, count);
    }

    /// <summary>Marks <paramref name="count"/> bytes of the segment from <see cref="NextPackedSegment"/> as filled.</summary>
    internal void CommitPacked(int count) => _bytesFilled += count;

    /// <summary>Appends part of a format 0001 byte bitmap (one byte per block, 1 = present), packing it to
    /// bits. Every call but the last must pass a multiple of 8 bytes.</summary>
    internal void AppendBytePresence(ReadOnlySpan<byte> bytes)
    {
        if ((bytes.Length + 7) / 8 > PackedSize - _bytesFilled)
        {
            throw new InvalidOperationException("More bitmap bytes than blocks.");
        }
        var one = Vector128.Create((byte)1);
        while (!bytes.IsEmpty)
        {
            byte[] chunk = ChunkForFill();
            int inChunk = (int)(_bytesFilled % ChunkBytes);
            int room = ChunkBytes - inChunk;
            while (bytes.Length >= Vector128<byte>.Count && room >= 2)
            {
                ushort packed = (ushort)Vector128.Equals(Vector128.Create(bytes), one).ExtractMostSignificantBits();
                BinaryPrimitives.WriteUInt16LittleEndian(chunk.AsSpan(inChunk), packed);
                inChunk += 2;
                room -= 2;
                _bytesFilled += 2;
                bytes = bytes[Vector128<byte>.Count..];
            }
            if (room == 0 || bytes.IsEmpty)
            {
                continue;
            }

            // Fewer than 16 blocks left, or one byte left in this chunk: pack up to 8 one by one.
            int take = Math.Min(bytes.Length, 8);
            byte last = 0;
            for (int i = 0; i < take; i++)
            {
                if (bytes[i] == 1)
                {
                    last |= (byte)(1 << i);
                }
            }
            chunk[inChunk] = last;
            _bytesFilled++;
            bytes = bytes[take..];
        }
    }

    /// <summary>Counts the set bits below <see cref="Length"/> once every byte has arrived.</summary>
    internal long Complete()
    {
        if (_bytesFilled != PackedSize)
        {
            throw new InvalidOperationException("The bitmap is incomplete.");
        }
        long count = 0;
        long remainingBits = Length;
        foreach (byte[] chunk in _chunks)
        {
            ReadOnlySpan<byte> bytes = chunk;
            for (int offset = 0; offset + sizeof(ulong) <= bytes.Length && remainingBits > 0; offset += sizeof(ulong))
            {
                ulong bits = BinaryPrimitives.ReadUInt64LittleEndian(bytes[offset..]);
                if (remainingBits < 64)
                {
                    // Bits at or beyond total_blocks are ignored (docs/formats/partclone.md, "Format 0002: bitmap").
                    bits &= (1UL << (int)remainingBits) - 1;
                }
                count += BitOperations.PopCount(bits);
                remainingBits -= 64;
            }
        }
        SetCount = count;
        return count;
    }

    private byte[] ChunkForFill()
    {
        int index = (int)(_bytesFilled / ChunkBytes);
        if (index == _chunks.Count)
        {
            // Sized to what is still missing, rounded up to whole 64-bit words for the scans.
            long missing = PackedSize - _bytesFilled;
            int size = (int)Math.Min(ChunkBytes, (missing + 7) & ~7L);
            _chunks.Add(new byte[size]);
        }
        return _chunks[index];
    }
}
