using ForensicPipe.Formats.Bitmaps;
using ForensicPipe.Formats.Partclone;

namespace ForensicPipe.Formats.Tests.Partclone;

public sealed class PartcloneBitmapTests
{
    private static PartcloneBitmap FromBits(long length, Func<long, bool> set)
    {
        var bitmap = new PartcloneBitmap(length);
        long done = 0;
        long size = (length + 7) / 8;
        while (done < size)
        {
            Memory<byte> segment = bitmap.NextPackedSegment(size - done);
            Span<byte> span = segment.Span;
            span.Clear();
            for (int i = 0; i < span.Length * 8; i++)
            {
                long bit = ((done + (i / 8)) * 8) + (i % 8);
                if (bit < length && set(bit))
                {
                    span[i / 8] |= (byte)(1 << (i % 8));
                }
            }
            bitmap.CommitPacked(segment.Length);
            done += segment.Length;
        }
        bitmap.Complete();
        return bitmap;
    }

    [Fact]
    public void PartcloneBitmap_Runs_CrossWordAndChunkBoundaries()
    {
        // 20 Mi blocks = 2.5 chunks; runs that end on and across 64-bit words and 1 MiB chunks.
        const long length = 20L << 20;
        long chunkBits = 8L << 20;
        long[] edges = [0, 63, 64, 65, 1000, chunkBits - 1, chunkBits, chunkBits + 1, (2 * chunkBits) + 5, length - 3];
        bool Set(long b) => edges.Count(e => e <= b) % 2 == 1;
        PartcloneBitmap bitmap = FromBits(length, Set);

        var runs = new List<long>();
        foreach (BitmapRun run in bitmap.Runs())
        {
            runs.Add(run.FirstBlock);
        }

        Assert.Equal(edges, runs);
        Assert.Equal(Enumerable.Range(0, edges.Length / 2).Sum(i => edges[(2 * i) + 1] - edges[2 * i]) + (edges.Length % 2 == 1 ? length - edges[^1] : 0), bitmap.SetCount);
        Assert.True(bitmap.IsSet(62));
        Assert.False(bitmap.IsSet(63));
        Assert.True(bitmap.IsSet(64));
        Assert.False(bitmap.IsSet(length - 1));
    }

    [Fact]
    public void PartcloneBitmap_ByteBitmap_OnlyValueOneIsPresent()
    {
        // Format 0001: one byte per block, packed while read, in pieces of any multiple of 8.
        var values = new byte[1000];
        var random = new Random(7);
        random.NextBytes(values);
        for (int i = 0; i < values.Length; i += 3)
        {
            values[i] = 1;
        }
        var bitmap = new PartcloneBitmap(values.Length);

        bitmap.AppendBytePresence(values.AsSpan(0, 8));
        bitmap.AppendBytePresence(values.AsSpan(8, 520));
        bitmap.AppendBytePresence(values.AsSpan(528));
        bitmap.Complete();

        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(values[i] == 1, bitmap.IsSet(i));
        }
        Assert.Equal(values.Count(v => v == 1), bitmap.SetCount);
    }

    [Fact]
    public void PartcloneBitmap_AllocatesAsBytesArrive()
    {
        var bitmap = new PartcloneBitmap(1L << 43);

        Memory<byte> first = bitmap.NextPackedSegment(long.MaxValue);

        Assert.Equal(PartcloneBitmap.ChunkBytes, first.Length);
        Assert.Equal(PartcloneBitmap.ChunkBytes, bitmap.AllocatedBytes);
    }
}
