using System.Buffers.Binary;
using System.Numerics;

namespace ForensicPipe.Formats.Partclone;

/// <summary>
/// Rank index over a complete <see cref="PartcloneBitmap"/> (docs/formats/partclone.md, "Random access"): entry
/// <c>j</c> holds <c>R(j·K)</c>, the number of present blocks before block <c>j·K</c>, for K =
/// <see cref="BlocksPerEntry"/> (a power of two, at least 64). <c>R(N)</c> is then the entry plus the popcount of at
/// most K bits. One 64-bit count per entry: 8 × ceil(total / K) bytes. Immutable after <see cref="Build"/>;
/// thread-safe.
/// </summary>
internal sealed class PartcloneRankIndex
{
    private readonly PartcloneBitmap _bitmap;
    private readonly long[] _ranks;
    private readonly int _shift;

    private PartcloneRankIndex(PartcloneBitmap bitmap, long[] ranks, int blocksPerEntry)
    {
        _bitmap = bitmap;
        _ranks = ranks;
        _shift = BitOperations.Log2((uint)blocksPerEntry);
        BlocksPerEntry = blocksPerEntry;
    }

    /// <summary>Blocks per index entry (K).</summary>
    public int BlocksPerEntry { get; }

    /// <summary>Number of entries.</summary>
    public long Entries => _ranks.Length;

    /// <summary>Bytes of the entries.</summary>
    public long MemoryBytes => (long)_ranks.Length * sizeof(long);

    /// <summary>Number of blocks (bits) covered.</summary>
    public long Length => _bitmap.Length;

    /// <summary>Counts the bitmap once, storing the running count at every K-th block. Bits at or beyond
    /// the bitmap's length are not counted (docs/formats/partclone.md, "Format 0002: bitmap": ignore them).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="blocksPerEntry"/> is not a power of two
    /// in 64 .. 2^20, or the index would need more entries than an array holds.</exception>
    public static PartcloneRankIndex Build(PartcloneBitmap bitmap, int blocksPerEntry)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        if (blocksPerEntry is < 64 or > 1 << 20 || !int.IsPow2(blocksPerEntry))
        {
            throw new ArgumentOutOfRangeException(nameof(blocksPerEntry), blocksPerEntry, "must be a power of two from 64 to 2^20");
        }
        long total = bitmap.Length;
        long entries = ((total + blocksPerEntry - 1) / blocksPerEntry) + 1;
        if (entries > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(blocksPerEntry), blocksPerEntry,
                $"{total} blocks need {entries} index entries at this index size, more than an array holds; use a larger index size");
        }
        var ranks = new long[entries];
        int wordsPerEntry = blocksPerEntry / 64;
        long wordCount = (total + 63) / 64;
        long wordsPerChunk = PartcloneBitmap.BitsPerChunk / 64;
        long running = 0;
        long entry = 0;
        for (long word = 0; word < wordCount; word++)
        {
            if (word % wordsPerEntry == 0)
            {
                ranks[entry++] = running;
            }
            ReadOnlySpan<byte> chunk = bitmap.GetChunk((int)(word / wordsPerChunk));
            ulong bits = BinaryPrimitives.ReadUInt64LittleEndian(chunk[(int)(word % wordsPerChunk * sizeof(ulong))..]);
            long remaining = total - (word * 64);
            if (remaining < 64)
            {
                bits &= (1UL << (int)remaining) - 1;
            }
            running += BitOperations.PopCount(bits);
        }
        // The last entry is R(total): every set bit.
        ranks[entries - 1] = running;
        return new PartcloneRankIndex(bitmap, ranks, blocksPerEntry);
    }

    /// <summary>R(<paramref name="block"/>): present blocks before <paramref name="block"/>
    /// (0 ≤ block ≤ <see cref="Length"/>).</summary>
    public long Rank(long block)
    {
        long entry = block >> _shift;
        long rank = _ranks[entry];
        long start = entry << _shift;
        if (block == start)
        {
            return rank;
        }
        // K divides the chunk size, so [start, block) lies in one chunk.
        ReadOnlySpan<byte> chunk = _bitmap.GetChunk((int)(start / PartcloneBitmap.BitsPerChunk));
        long first = start % PartcloneBitmap.BitsPerChunk;
        long end = first + (block - start);
        int word = (int)(first >> 6);
        int lastWord = (int)(end >> 6);
        for (; word < lastWord; word++)
        {
            rank += BitOperations.PopCount(BinaryPrimitives.ReadUInt64LittleEndian(chunk[(word * sizeof(ulong))..]));
        }
        int tail = (int)(end & 63);
        if (tail != 0)
        {
            ulong bits = BinaryPrimitives.ReadUInt64LittleEndian(chunk[(word * sizeof(ulong))..]);
            rank += BitOperations.PopCount(bits & ((1UL << tail) - 1));
        }
        return rank;
    }
}
