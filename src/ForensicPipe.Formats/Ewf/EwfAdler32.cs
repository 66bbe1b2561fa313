namespace ForensicPipe.Formats.Ewf;

/// <summary>Adler-32 (RFC 1950 §8.2), the checksum of every EWF section and of every chunk stored
/// uncompressed; seeded with 1 as zlib's <c>adler32(1, …)</c> (docs/formats/e01.md).</summary>
internal static class EwfAdler32
{
    private const uint Modulus = 65521;

    // The largest n such that 255 n (n + 1) / 2 + (n + 1)(Modulus - 1) fits in 32 bits (zlib's NMAX).
    private const int BlockLength = 5552;

    /// <summary>The Adler-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Update(1, data);

    /// <summary>Continues <paramref name="adler"/> over <paramref name="data"/>.</summary>
    public static uint Update(uint adler, ReadOnlySpan<byte> data)
    {
        uint a = adler & 0xFFFF;
        uint b = adler >> 16;
        while (!data.IsEmpty)
        {
            int length = Math.Min(data.Length, BlockLength);
            ReadOnlySpan<byte> block = data[..length];
            int i = 0;
            for (; i + 8 <= block.Length; i += 8)
            {
                a += block[i]; b += a;
                a += block[i + 1]; b += a;
                a += block[i + 2]; b += a;
                a += block[i + 3]; b += a;
                a += block[i + 4]; b += a;
                a += block[i + 5]; b += a;
                a += block[i + 6]; b += a;
                a += block[i + 7]; b += a;
            }
            for (; i < block.Length; i++)
            {
                a += block[i];
                b += a;
            }
            a %= Modulus;
            b %= Modulus;
            data = data[length..];
        }
        return (b << 16) | a;
    }
}
