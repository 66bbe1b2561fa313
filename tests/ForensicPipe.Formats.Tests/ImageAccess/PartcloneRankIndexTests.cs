using System.Numerics;
using ForensicPipe.Formats.Partclone;
using ForensicPipe.Formats.Tests.Bitmaps;

namespace ForensicPipe.Formats.Tests.ImageAccess;

public sealed class PartcloneRankIndexTests
{
    [Theory]
    [InlineData(64, 1000, 0.5, 1)]
    [InlineData(1024, 100_003, 0.3, 2)]
    [InlineData(4096, 70_001, 0.02, 3)]
    [InlineData(64, 17_000_000, 0.5, 4)] // three bitmap chunks (8 Mi bits each)
    [InlineData(1 << 20, 17_000_000, 0.9, 5)]
    public void Rank_RandomBitmaps_EqualsCountingFromBlockZero(int indexSize, long length, double density, int seed)
    {
        var random = new Random(seed);
        byte[] bits = new byte[(length + 7) / 8];
        // Runs of equal bits (as file systems allocate), with random lengths.
        for (long i = 0; i < length;)
        {
            bool set = random.NextDouble() < density;
            long run = random.Next(1, 3000);
            for (long j = i; j < Math.Min(length, i + run); j++)
            {
                if (set)
                {
                    bits[j >> 3] |= (byte)(1 << (int)(j & 7));
                }
            }
            i += run;
        }
        // Bits beyond the length are stored garbage: they must not count.
        if (length % 8 != 0)
        {
            bits[^1] |= (byte)(0xFF << (int)(length % 8));
        }
        PartcloneRankIndex index = PartcloneRankIndex.Build(TestBitmaps.FromPacked(length, bits), indexSize);

        // Prefix counts, then every 997th block and the ends.
        long[] probes = [.. Enumerable.Range(0, 20_000).Select(_ => random.NextInt64(0, length + 1)), 0, 1, length - 1, length];
        Array.Sort(probes);
        long rank = 0;
        long counted = 0;
        foreach (long probe in probes)
        {
            for (; counted < probe; counted++)
            {
                rank += TestBitmaps.Bit(bits, counted) ? 1 : 0;
            }
            Assert.Equal(rank, index.Rank(probe));
        }
        Assert.Equal((length + indexSize - 1) / indexSize + 1, index.Entries);
        Assert.Equal(index.Entries * 8, index.MemoryBytes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    [InlineData(1000)]
    [InlineData(2 << 20)]
    public void Build_IndexSizeNotAPowerOfTwoInRange_Throws(int indexSize)
    {
        PartcloneBitmap bitmap = TestBitmaps.FromPacked(64, new byte[8]);
        Assert.Throws<ArgumentOutOfRangeException>(() => PartcloneRankIndex.Build(bitmap, indexSize));
        Assert.False(indexSize is >= 64 and <= 1 << 20 && BitOperations.IsPow2(indexSize));
    }
}
