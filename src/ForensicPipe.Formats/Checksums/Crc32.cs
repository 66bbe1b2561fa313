using System.Runtime.Intrinsics.X86;
using ArmCrc32 = System.Runtime.Intrinsics.Arm.Crc32;

namespace ForensicPipe.Formats.Checksums;

/// <summary>
/// CRC-32 with the reflected polynomial 0xEDB88320 (zlib / PKZIP / ISO-HDLC table).
/// </summary>
/// <remarks>
/// <see cref="Update"/> folds with carry-less multiplication (VPCLMULQDQ on 512-bit vectors, or PCLMULQDQ on
/// 128-bit vectors), uses the ARMv8 CRC32 instructions on ARM64, and otherwise a slicing-by-8 table.
/// Every path yields the same register for every input; inputs shorter than <see cref="MinFoldLength"/>
/// go to the table, which is faster than setting up and reducing the folds.
/// <para>
/// Kept instead of System.IO.Hashing's <c>Crc32</c> (10.0.15), which folds 128 bits at a time and only from
/// the standard seed (a register carried across buffers then costs a <c>crc32_combine</c> step). On the
/// 2-core AVX-512 Xeon of development, loaded, BenchmarkDotNet short runs of
/// benchmarks/ForensicPipe.Benchmarks/Crc32PackageBenchmarks.cs gave, ours vs the package from the seed:
/// 68 vs 232 ns for a 4 KiB block, 259 vs 2100 ns for a 16 KiB group, 27 vs 119 µs for 1 MiB. The package is
/// the oracle of the tests (Crc32OracleTests).
/// </para>
/// </remarks>
public static partial class Crc32
{
    /// <summary>Shortest input that <see cref="Update"/> hands to the 128-bit folding path.</summary>
    internal const int MinFoldLength = 64;

    /// <summary>Shortest input that the 512-bit folding path folds itself (4 × 64 bytes).</summary>
    internal const int MinFold512Length = 256;

    /// <summary>
    /// Advances the raw CRC register over <paramref name="data"/>: per byte
    /// <c>r = (r &gt;&gt; 8) ^ T[(r ^ b) &amp; 0xFF]</c>, no pre- or post-inversion.
    /// </summary>
    /// <param name="register">Register value before <paramref name="data"/>.</param>
    /// <param name="data">Bytes to process; any length, any alignment.</param>
    /// <returns>Register value after <paramref name="data"/>; <paramref name="register"/> if it is empty.
    /// <c>Update(Update(r, a), b) == Update(r, a + b)</c>.</returns>
    public static uint Update(uint register, ReadOnlySpan<byte> data)
    {
        if (data.Length >= MinFoldLength)
        {
            if (Pclmulqdq.V512.IsSupported && data.Length >= MinFold512Length)
            {
                return UpdateVpclmul512(register, data);
            }

            if (Pclmulqdq.IsSupported)
            {
                return UpdatePclmul(register, data);
            }
        }

        if (ArmCrc32.Arm64.IsSupported)
        {
            return UpdateArm64(register, data);
        }

        return UpdateTable(register, data);
    }

    /// <summary>
    /// Standard CRC-32 (zlib <c>crc32</c>, init 0xFFFFFFFF, xorout 0xFFFFFFFF):
    /// <c>~Update(0xFFFFFFFF, data)</c>. <c>Compute("123456789") == 0xCBF43926</c>.
    /// </summary>
    /// <param name="data">Bytes to checksum.</param>
    /// <returns>The CRC-32 of <paramref name="data"/>.</returns>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(0xFFFFFFFF, data);

    /// <summary>
    /// Which implementation <see cref="Update"/> uses for long inputs on this CPU:
    /// <c>"vpclmulqdq-avx512"</c>, <c>"pclmulqdq"</c>, <c>"arm64-crc32"</c> or <c>"table"</c>.
    /// </summary>
    public static string Implementation =>
        Pclmulqdq.V512.IsSupported ? "vpclmulqdq-avx512"
        : Pclmulqdq.IsSupported ? "pclmulqdq"
        : ArmCrc32.Arm64.IsSupported ? "arm64-crc32"
        : "table";
}
