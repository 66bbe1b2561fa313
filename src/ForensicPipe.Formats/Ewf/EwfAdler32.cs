using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ForensicPipe.Formats.Ewf;

/// <summary>Adler-32 (RFC 1950 §8.2), the checksum of every EWF section and of every chunk stored
/// uncompressed; seeded with 1 as zlib's <c>adler32(1, …)</c> (docs/formats/e01.md). With AVX2, 32 bytes are
/// summed per step (docs/formats/e01.md, "Speed"): every chunk that does not compress is checksummed when written
/// and again when verified, so this runs over most of the data of a set of random or encrypted content.</summary>
internal static class EwfAdler32
{
    private const uint Modulus = 65521;

    // The largest n such that 255 n (n + 1) / 2 + (n + 1)(Modulus - 1) fits in 32 bits (zlib's NMAX).
    private const int BlockLength = 5552;

    private const int VectorBytes = 32;

    /// <summary>The Adler-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Update(1, data);

    /// <summary>Continues <paramref name="adler"/> over <paramref name="data"/>.</summary>
    public static uint Update(uint adler, ReadOnlySpan<byte> data)
    {
        uint a = adler & 0xFFFF;
        uint b = adler >> 16;
        if (Avx2.IsSupported && data.Length >= 2 * VectorBytes)
        {
            int vectorized = data.Length & ~(VectorBytes - 1);
            UpdateAvx2(ref a, ref b, data[..vectorized]);
            data = data[vectorized..];
        }
        UpdateScalar(ref a, ref b, data);
        return (b << 16) | a;
    }

    /// <summary>The byte-at-a-time definition, also the reference the vector path is tested against.</summary>
    internal static uint ComputeScalar(ReadOnlySpan<byte> data)
    {
        uint a = 1, b = 0;
        UpdateScalar(ref a, ref b, data);
        return (b << 16) | a;
    }

    private static void UpdateScalar(ref uint a, ref uint b, ReadOnlySpan<byte> data)
    {
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
    }

    // Over k vectors v_1..v_k of 32 bytes, from (a0, b0):
    //   a = a0 + Σ_j sum(v_j)
    //   b = b0 + Σ_j (32 · a_(j-1) + Σ_i (32 - i) · v_j[i])
    //     = b0 + 32 k a0 + 32 Σ_j Σ_(m<j) sum(v_m) + Σ_j Σ_i (32 - i) · v_j[i]
    // The lanes hold the byte sums (sums), the running total of the sums before each vector (prefix) and the
    // weighted sums (weighted); they are folded and reduced every BlockLength bytes, before any lane can overflow.
    // The length is a multiple of 32.
    private static void UpdateAvx2(ref uint a, ref uint b, ReadOnlySpan<byte> data)
    {
        Vector256<sbyte> weights = Vector256.Create(
            32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17,
            16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, (sbyte)1);
        Vector256<short> ones = Vector256<short>.One;
        ref byte start = ref MemoryMarshal.GetReference(data);
        int offset = 0;
        while (offset < data.Length)
        {
            int blockEnd = offset + Math.Min(data.Length - offset, BlockLength & ~(VectorBytes - 1));
            int vectors = (blockEnd - offset) / VectorBytes;
            Vector256<uint> sums = Vector256<uint>.Zero;
            Vector256<uint> prefix = Vector256<uint>.Zero;
            Vector256<int> weighted = Vector256<int>.Zero;
            for (; offset < blockEnd; offset += VectorBytes)
            {
                Vector256<byte> bytes = Vector256.LoadUnsafe(ref Unsafe.Add(ref start, offset));
                prefix += sums;
                sums += Avx2.SumAbsoluteDifferences(bytes, Vector256<byte>.Zero).AsUInt32();
                weighted += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(bytes, weights), ones);
            }
            ulong byteSum = Vector256.Sum(Vector256.WidenLower(sums) + Vector256.WidenUpper(sums));
            ulong prefixSum = Vector256.Sum(Vector256.WidenLower(prefix) + Vector256.WidenUpper(prefix));
            ulong weightedSum = Vector256.Sum(Vector256.WidenLower(weighted.AsUInt32()) + Vector256.WidenUpper(weighted.AsUInt32()));
            ulong newB = b + (ulong)VectorBytes * (ulong)vectors * a + (ulong)VectorBytes * prefixSum + weightedSum;
            a = (uint)((a + byteSum) % Modulus);
            b = (uint)(newB % Modulus);
        }
    }
}
