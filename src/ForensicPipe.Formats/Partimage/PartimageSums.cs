using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ForensicPipe.Formats.Partimage;

/// <summary>The two byte sums of partimage: the header "CRC" and the global tail sum (docs/formats/partimage.md,
/// "Checksums").</summary>
public static class PartimageSums
{
    /// <summary>Sum of the bytes taken as signed 8-bit values, wrapping in 32 bits (docs/formats/partimage.md,
    /// "Checksums"): the value stored after the main, local and info headers and in MBR records. <c>01 FF 80 7F</c> →
    /// <c>0xFFFFFFFF</c>.</summary>
    public static uint SignedByteSum(ReadOnlySpan<byte> data)
    {
        // Σ signed = Σ unsigned − 256 × (number of bytes ≥ 0x80), all modulo 2^32.
        ulong unsigned = ByteSum(data);
        long high = CountHighBytes(data);
        return (uint)(unsigned - (ulong)(high * 256));
    }

    /// <summary>Sum of the unsigned byte values (docs/formats/partimage.md, "Checksums"), exact for any span (at most
    /// 2^31 × 255).</summary>
    public static ulong ByteSum(ReadOnlySpan<byte> data)
    {
        ulong sum = 0;
        ref byte start = ref MemoryMarshal.GetReference(data);
        int i = 0;
        if (Avx512BW.IsSupported && data.Length >= Vector512<byte>.Count)
        {
            // VPSADBW against zero: eight 64-bit lanes, each the sum of 8 bytes; no overflow for any length.
            Vector512<ulong> acc = Vector512<ulong>.Zero;
            for (; i <= data.Length - Vector512<byte>.Count; i += Vector512<byte>.Count)
            {
                Vector512<byte> v = Vector512.LoadUnsafe(ref start, (nuint)i);
                acc += Avx512BW.SumAbsoluteDifferences(v, Vector512<byte>.Zero).AsUInt64();
            }
            sum += Vector512.Sum(acc);
        }
        else if (Avx2.IsSupported && data.Length >= Vector256<byte>.Count)
        {
            Vector256<ulong> acc = Vector256<ulong>.Zero;
            for (; i <= data.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                Vector256<byte> v = Vector256.LoadUnsafe(ref start, (nuint)i);
                acc += Avx2.SumAbsoluteDifferences(v, Vector256<byte>.Zero).AsUInt64();
            }
            sum += Vector256.Sum(acc);
        }
        else if (Vector128.IsHardwareAccelerated && data.Length >= Vector128<byte>.Count)
        {
            // Portable path: widen to 16 bits; each vector adds at most 2 × 255 per lane, so flush after 128.
            while (i <= data.Length - Vector128<byte>.Count)
            {
                Vector128<ushort> acc16 = Vector128<ushort>.Zero;
                int stop = Math.Min(data.Length - Vector128<byte>.Count, i + (128 * Vector128<byte>.Count) - 1);
                for (; i <= stop; i += Vector128<byte>.Count)
                {
                    (Vector128<ushort> lower, Vector128<ushort> upper) = Vector128.Widen(Vector128.LoadUnsafe(ref start, (nuint)i));
                    acc16 += lower + upper;
                }
                (Vector128<uint> a, Vector128<uint> b) = Vector128.Widen(acc16);
                sum += Vector128.Sum(a + b);
            }
        }
        for (; i < data.Length; i++)
        {
            sum += Unsafe.Add(ref start, i);
        }
        return sum;
    }

    private static long CountHighBytes(ReadOnlySpan<byte> data)
    {
        long count = 0;
        int i = 0;
        ref byte start = ref MemoryMarshal.GetReference(data);
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= data.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                count += BitOperations.PopCount(Vector256.LoadUnsafe(ref start, (nuint)i).ExtractMostSignificantBits());
            }
        }
        for (; i < data.Length; i++)
        {
            count += Unsafe.Add(ref start, i) >> 7;
        }
        return count;
    }
}
