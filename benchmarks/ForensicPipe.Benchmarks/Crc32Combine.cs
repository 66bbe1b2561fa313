namespace ForensicPipe.Benchmarks;

/// <summary>
/// The register after feeding zero bytes, in O(log n) multiplications modulo the CRC-32 polynomial (zlib
/// 1.2.12 <c>multmodp</c> / <c>x2nmodp</c>, the core of <c>crc32_combine</c>). With it a standard CRC from
/// the seed gives the raw register from any start: <c>raw(r, d) = ~crc(d) ^ zeros(r ^ 0xFFFFFFFF, |d|)</c>.
/// </summary>
internal static class Crc32Combine
{
    private const uint ReflectedPolynomial = 0xEDB88320;

    /// <summary>Entry k is x^(2^k) modulo the polynomial, reflected.</summary>
    private static readonly uint[] s_powers = CreatePowers();

    /// <summary>The register <paramref name="register"/> after <paramref name="count"/> zero bytes.</summary>
    public static uint ShiftZeros(uint register, long count)
    {
        uint power = 1u << 31;
        // Bytes are 8 = 2^3 bits: start at x^(2^3).
        for (int k = 3; count != 0; count >>= 1, k++)
        {
            if ((count & 1) != 0)
            {
                power = Multiply(s_powers[k & 31], power);
            }
        }
        return Multiply(power, register);
    }

    private static uint Multiply(uint a, uint b)
    {
        uint product = 0;
        for (uint m = 1u << 31; m != 0; m >>= 1)
        {
            if ((a & m) != 0)
            {
                product ^= b;
                if ((a & (m - 1)) == 0)
                {
                    break;
                }
            }
            b = (b & 1) != 0 ? (b >> 1) ^ ReflectedPolynomial : b >> 1;
        }
        return product;
    }

    private static uint[] CreatePowers()
    {
        var powers = new uint[32];
        uint p = 1u << 30;
        powers[0] = p;
        for (int k = 1; k < 32; k++)
        {
            powers[k] = p = Multiply(p, p);
        }
        return powers;
    }
}
