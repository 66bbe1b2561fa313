using ForensicPipe.Formats.Partclone;

namespace ForensicPipe.Formats.Tests.Bitmaps;

/// <summary>Block bitmaps made from packed bits, for the run and rank tests.</summary>
internal static class TestBitmaps
{
    /// <summary>A complete bitmap of <paramref name="length"/> bits from <paramref name="bits"/> (LSB first).</summary>
    public static PartcloneBitmap FromPacked(long length, byte[] bits)
    {
        var bitmap = new PartcloneBitmap(length);
        long done = 0;
        while (done < bits.Length)
        {
            Memory<byte> segment = bitmap.NextPackedSegment(bits.Length - done);
            bits.AsSpan((int)done, segment.Length).CopyTo(segment.Span);
            bitmap.CommitPacked(segment.Length);
            done += segment.Length;
        }
        bitmap.Complete();
        return bitmap;
    }

    /// <summary>Bit <paramref name="i"/> of <paramref name="bits"/> (LSB first).</summary>
    public static bool Bit(byte[] bits, long i) => (bits[i >> 3] & (1 << (int)(i & 7))) != 0;
}
