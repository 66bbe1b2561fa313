using ForensicPipe.Formats.Bitmaps;
using ForensicPipe.Formats.Partclone;

namespace ForensicPipe.Formats.Tests.Bitmaps;

public sealed class BitmapRunsTests
{
    /// <summary>Random runs of 1 to <paramref name="maxRun"/> bits, with stored garbage beyond the length.</summary>
    private static byte[] RandomRuns(Random random, long length, int maxRun)
    {
        byte[] bits = new byte[(length + 7) / 8];
        for (long i = 0; i < length;)
        {
            long run = random.Next(1, maxRun + 1);
            if (random.Next(2) == 0)
            {
                for (long j = i; j < Math.Min(length, i + run); j++)
                {
                    bits[j >> 3] |= (byte)(1 << (int)(j & 7));
                }
            }
            i += run;
        }
        if (length % 8 != 0)
        {
            bits[^1] |= (byte)(0xFF << (int)(length % 8));
        }
        return bits;
    }

    /// <summary>The runs of [start, limit) found one bit at a time.</summary>
    private static List<BitmapRun> Expected(byte[] bits, long start, long limit)
    {
        var runs = new List<BitmapRun>();
        for (long first = start; first < limit;)
        {
            long end = first + 1;
            while (end < limit && TestBitmaps.Bit(bits, end) == TestBitmaps.Bit(bits, first))
            {
                end++;
            }
            runs.Add(new BitmapRun(first, end - first, TestBitmaps.Bit(bits, first)));
            first = end;
        }
        return runs;
    }

    private static List<BitmapRun> Actual(BitmapRuns runs)
    {
        var list = new List<BitmapRun>();
        foreach (BitmapRun run in runs)
        {
            list.Add(run);
        }
        return list;
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(64, 3, 2)]
    [InlineData(1000, 5, 3)]
    [InlineData(100_003, 300, 4)]
    [InlineData(9_000_000, 200_000, 5)] // crosses a chunk boundary at 8 Mi bits
    public void Runs_WholeBitmap_EqualRunsFoundBitByBit(long length, int maxRun, int seed)
    {
        byte[] bits = RandomRuns(new Random(seed), length, maxRun);

        List<BitmapRun> runs = Actual(TestBitmaps.FromPacked(length, bits).Runs());

        Assert.Equal(Expected(bits, 0, length), runs);
        Assert.Equal(length, runs.Sum(run => run.Count));
    }

    [Fact]
    public void Runs_FromAnyStartToAnyLimit_EqualRunsFoundBitByBit_AndStopAtTheLimit()
    {
        var random = new Random(11);
        long length = 9_000_000;
        byte[] bits = RandomRuns(random, length, 200_000);
        PartcloneBitmap bitmap = TestBitmaps.FromPacked(length, bits);
        for (int probe = 0; probe < 300; probe++)
        {
            long start = random.NextInt64(0, length);
            long limit = Math.Min(length, start + 1 + random.NextInt64(0, 400_000));

            Assert.Equal(Expected(bits, start, limit), Actual(bitmap.Runs(start, limit)));
        }
    }

    [Fact]
    public void Runs_AllSetAcrossChunks_IsOneUsedRun()
    {
        long length = (16L << 20) + 70; // two full chunks and a partial word
        byte[] bits = new byte[(length + 7) / 8];
        bits.AsSpan().Fill(0xFF);

        List<BitmapRun> runs = Actual(TestBitmaps.FromPacked(length, bits).Runs());

        Assert.Equal([new BitmapRun(0, length, Used: true)], runs);
    }

    [Fact]
    public void Runs_EmptyRange_YieldsNothing()
    {
        PartcloneBitmap bitmap = TestBitmaps.FromPacked(100, new byte[13]);

        Assert.Empty(Actual(bitmap.Runs(40, 40)));
        Assert.Throws<ArgumentOutOfRangeException>(() => bitmap.Runs(0, 101));
        Assert.Throws<ArgumentOutOfRangeException>(() => bitmap.Runs(41, 40));
    }
}
