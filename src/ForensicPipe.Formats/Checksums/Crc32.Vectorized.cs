using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ForensicPipe.Formats.Checksums;

public static partial class Crc32
{
    // Folding constants for bit-reflected data: Gopal et al., Intel, "Fast CRC Computation for Generic
    // Polynomials Using PCLMULQDQ Instruction" (2009), section "Bit-Reflected Data". With P = 0x104C11DB7,
    // K(n) = bitreverse32(x^n mod P) << 1; folding a 128-bit lane forward across D bits multiplies its low
    // qword by K(D + 32) and its high qword by K(D - 32). Derived with polynomial arithmetic and checked
    // against zlib-ng / Linux crc32-pclmul (Crc32Tests.FoldingConstants_MatchPolynomialArithmetic).
    internal const ulong K2080 = 0x1_1542_778A; // fold 4 × 512 bits forward by 2048 bits
    internal const ulong K2016 = 0x1_322D_1430;
    internal const ulong K544 = 0x1_5444_2BD4;  // fold forward by 512 bits
    internal const ulong K480 = 0x1_C6E4_1596;
    internal const ulong K416 = 0x0_3DB1_ECDC;  // fold forward by 384 bits
    internal const ulong K352 = 0x1_7435_9406;
    internal const ulong K288 = 0x0_F1DA_05AA;  // fold forward by 256 bits
    internal const ulong K224 = 0x1_5A54_6366;
    internal const ulong K160 = 0x1_7519_97D0;  // fold forward by 128 bits
    internal const ulong K96 = 0x0_CCAA_009E;   // 128 -> 96 bits, and the high qword of the 128-bit fold
    internal const ulong K64 = 0x1_63CD_6124;   // 96 -> 64 bits

    // Barrett reduction of the 64-bit remainder (same paper): mu = bitreverse33(floor(x^64 / P)) and
    // P' = bitreverse33(P).
    internal const ulong BarrettMu = 0x1_F701_1641;
    internal const ulong BarrettPolynomial = 0x1_DB71_0641;

    /// <summary>
    /// Advances the register with 128-bit PCLMULQDQ folding, four lanes in parallel (64 bytes per step).
    /// Inputs shorter than <see cref="MinFoldLength"/> go to the table. Requires <see cref="Pclmulqdq.IsSupported"/>.
    /// </summary>
    internal static uint UpdatePclmul(uint register, ReadOnlySpan<byte> data)
    {
        if (data.Length < MinFoldLength)
        {
            return UpdateTable(register, data);
        }

        ref byte source = ref MemoryMarshal.GetReference(data);
        nuint length = (nuint)data.Length;

        Vector128<ulong> x0 = Load128(ref source, 0) ^ Vector128.CreateScalar(register).AsUInt64();
        Vector128<ulong> x1 = Load128(ref source, 16);
        Vector128<ulong> x2 = Load128(ref source, 32);
        Vector128<ulong> x3 = Load128(ref source, 48);
        nuint offset = 64;

        Vector128<ulong> k512 = Vector128.Create(K544, K480);
        while (length - offset >= 64)
        {
            x0 = Fold128(x0, k512) ^ Load128(ref source, offset);
            x1 = Fold128(x1, k512) ^ Load128(ref source, offset + 16);
            x2 = Fold128(x2, k512) ^ Load128(ref source, offset + 32);
            x3 = Fold128(x3, k512) ^ Load128(ref source, offset + 48);
            offset += 64;
        }

        Vector128<ulong> k128 = Vector128.Create(K160, K96);
        Vector128<ulong> x = Fold128(x0, k128) ^ x1;
        x = Fold128(x, k128) ^ x2;
        x = Fold128(x, k128) ^ x3;

        return Finish128(x, data, offset);
    }

    /// <summary>
    /// Advances the register with 512-bit VPCLMULQDQ folding, four vectors in parallel (256 bytes per step).
    /// Inputs shorter than <see cref="MinFold512Length"/> go to <see cref="UpdatePclmul"/>.
    /// Requires <c>Pclmulqdq.V512.IsSupported</c>.
    /// </summary>
    internal static uint UpdateVpclmul512(uint register, ReadOnlySpan<byte> data)
    {
        if (data.Length < MinFold512Length)
        {
            return UpdatePclmul(register, data);
        }

        ref byte source = ref MemoryMarshal.GetReference(data);
        nuint length = (nuint)data.Length;

        Vector512<ulong> z0 = Load512(ref source, 0) ^ Vector512.CreateScalar(register).AsUInt64();
        Vector512<ulong> z1 = Load512(ref source, 64);
        Vector512<ulong> z2 = Load512(ref source, 128);
        Vector512<ulong> z3 = Load512(ref source, 192);
        nuint offset = 256;

        Vector512<ulong> k2048 = Vector512.Create(K2080, K2016, K2080, K2016, K2080, K2016, K2080, K2016);
        while (length - offset >= 256)
        {
            z0 = Fold512(z0, k2048) ^ Load512(ref source, offset);
            z1 = Fold512(z1, k2048) ^ Load512(ref source, offset + 64);
            z2 = Fold512(z2, k2048) ^ Load512(ref source, offset + 128);
            z3 = Fold512(z3, k2048) ^ Load512(ref source, offset + 192);
            offset += 256;
        }

        Vector512<ulong> k512 = Vector512.Create(K544, K480, K544, K480, K544, K480, K544, K480);
        Vector512<ulong> z = Fold512(z0, k512) ^ z1;
        z = Fold512(z, k512) ^ z2;
        z = Fold512(z, k512) ^ z3;

        while (length - offset >= 64)
        {
            z = Fold512(z, k512) ^ Load512(ref source, offset);
            offset += 64;
        }

        // Lanes 0, 1, 2 move forward by 384, 256, 128 bits onto lane 3, which is added as is.
        Vector512<ulong> kLanes = Vector512.Create(K416, K352, K288, K224, K160, K96, 0, 0);
        Vector512<ulong> f = Fold512(z, kLanes);
        Vector128<ulong> x = f.GetLower().GetLower() ^ f.GetLower().GetUpper()
            ^ f.GetUpper().GetLower() ^ z.GetUpper().GetUpper();

        return Finish128(x, data, offset);
    }

    /// <summary>
    /// Folds the remaining whole 16-byte blocks into <paramref name="x"/>, reduces it to the 32-bit register
    /// and runs the last 0..15 bytes through the table.
    /// </summary>
    private static uint Finish128(Vector128<ulong> x, ReadOnlySpan<byte> data, nuint offset)
    {
        ref byte source = ref MemoryMarshal.GetReference(data);
        nuint length = (nuint)data.Length;

        Vector128<ulong> k128 = Vector128.Create(K160, K96);
        while (length - offset >= 16)
        {
            x = Fold128(x, k128) ^ Load128(ref source, offset);
            offset += 16;
        }

        Vector128<ulong> mask32 = Vector128.Create(0xFFFF_FFFFUL, 0);

        // 128 -> 96 bits: low qword times x^96, plus the high qword.
        Vector128<ulong> k96k64 = Vector128.Create(K96, K64);
        Vector128<ulong> t = Pclmulqdq.CarrylessMultiply(x, k96k64, 0x00)
            ^ Sse2.ShiftRightLogical128BitLane(x, 8);

        // 96 -> 64 bits: low dword times x^64, plus the upper 64 bits.
        t = Pclmulqdq.CarrylessMultiply(t & mask32, k96k64, 0x10)
            ^ Sse2.ShiftRightLogical128BitLane(t, 4);

        // Barrett: q = (low dword * mu) mod x^32, r = t + q * P'; the register is dword 1.
        Vector128<ulong> barrett = Vector128.Create(BarrettPolynomial, BarrettMu);
        Vector128<ulong> q = Pclmulqdq.CarrylessMultiply(t & mask32, barrett, 0x10) & mask32;
        Vector128<ulong> r = Pclmulqdq.CarrylessMultiply(q, barrett, 0x00) ^ t;
        uint register = r.AsUInt32().GetElement(1);

        return UpdateTable(register, data[(int)offset..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Fold128(Vector128<ulong> x, Vector128<ulong> k) =>
        Pclmulqdq.CarrylessMultiply(x, k, 0x00) ^ Pclmulqdq.CarrylessMultiply(x, k, 0x11);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Fold512(Vector512<ulong> z, Vector512<ulong> k) =>
        Pclmulqdq.V512.CarrylessMultiply(z, k, 0x00) ^ Pclmulqdq.V512.CarrylessMultiply(z, k, 0x11);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Load128(ref byte source, nuint offset) =>
        Vector128.LoadUnsafe(ref source, offset).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Load512(ref byte source, nuint offset) =>
        Vector512.LoadUnsafe(ref source, offset).AsUInt64();
}
