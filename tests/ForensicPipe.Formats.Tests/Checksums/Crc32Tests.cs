using System.Runtime.Intrinsics.X86;
using System.Text;
using ForensicPipe.Formats.Checksums;
using ArmCrc32 = System.Runtime.Intrinsics.Arm.Crc32;

namespace ForensicPipe.Formats.Tests.Checksums;

public sealed class Crc32Tests
{
    private delegate uint UpdateFunc(uint register, ReadOnlySpan<byte> data);

    private static readonly byte[] s_check = Encoding.ASCII.GetBytes("123456789");

    /// <summary>Every implementation this CPU can run, by name; the table and the dispatcher always.</summary>
    public static TheoryData<string> Paths()
    {
        var data = new TheoryData<string> { "dispatch", "table" };
        if (Pclmulqdq.IsSupported)
        {
            data.Add("pclmul128");
        }

        if (Pclmulqdq.V512.IsSupported)
        {
            data.Add("vpclmul512");
        }

        if (ArmCrc32.Arm64.IsSupported)
        {
            data.Add("arm64");
        }

        return data;
    }

    private static UpdateFunc PathByName(string name) => name switch
    {
        "dispatch" => Crc32.Update,
        "table" => Crc32.UpdateTable,
        "pclmul128" => Crc32.UpdatePclmul,
        "vpclmul512" => Crc32.UpdateVpclmul512,
        "arm64" => Crc32.UpdateArm64,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>Bit-at-a-time CRC register update, straight from the definition of the reflected CRC.</summary>
    private static uint BitwiseReference(uint register, ReadOnlySpan<byte> data)
    {
        uint r = register;
        foreach (byte b in data)
        {
            r ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                r = (r & 1) != 0 ? (r >> 1) ^ 0xEDB88320u : r >> 1;
            }
        }

        return r;
    }

    /// <summary>Lengths around every block size and loop boundary of the table, 128-bit and 512-bit paths.</summary>
    private static IEnumerable<int> InterestingLengths()
    {
        for (int n = 0; n <= 1100; n++)
        {
            yield return n;
        }

        foreach (int size in new[] { 2048, 4096, 8192, 65536, 1 << 20 })
        {
            yield return size - 1;
            yield return size;
            yield return size + 1;
        }

        yield return (1 << 20) + 15;
        yield return (1 << 20) + 255;
        yield return 1_234_567;
    }

    [Fact]
    public void Compute_CheckString_IsCbf43926()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute(s_check));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Update_CheckStringFromAllOnes_IsPartcloneRegister340bc6d9(string path)
    {
        Assert.Equal(0x340BC6D9u, PathByName(path)(0xFFFFFFFF, s_check));
    }

    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xE8B7BE43u)]
    [InlineData("abc", 0x352441C2u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
    public void Compute_KnownZlibVectors_Match(string text, uint expected)
    {
        Assert.Equal(expected, Crc32.Compute(Encoding.ASCII.GetBytes(text)));
    }

    // Expected values from Python's zlib.crc32, independent of this code base.
    [Theory]
    [MemberData(nameof(Paths))]
    public void Update_LongKnownBuffers_MatchZlib(string path)
    {
        UpdateFunc update = PathByName(path);
        byte[] zeros = new byte[1 << 20];
        byte[] pattern = new byte[(1 << 20) + 7];
        for (int i = 0; i < pattern.Length; i++)
        {
            pattern[i] = (byte)(i % 251);
        }

        Assert.Equal(0xA738EA1Cu, ~update(0xFFFFFFFF, zeros));
        Assert.Equal(0x0082C722u, ~update(0xFFFFFFFF, pattern));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Update_EmptyInput_ReturnsRegisterUnchanged(string path)
    {
        UpdateFunc update = PathByName(path);
        foreach (uint register in new[] { 0u, 1u, 0xFFFFFFFFu, 0x12345678u, 0x80000000u })
        {
            Assert.Equal(register, update(register, ReadOnlySpan<byte>.Empty));
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Update_RandomDataAnyLength_EqualsBitwiseReference(string path)
    {
        UpdateFunc update = PathByName(path);
        var random = new Random(0x5EED);
        byte[] buffer = new byte[1_234_567 + 64];
        random.NextBytes(buffer);

        foreach (int length in InterestingLengths())
        {
            int misalignment = random.Next(64);
            uint register = (uint)random.NextInt64(0, 1L << 32);
            ReadOnlySpan<byte> data = buffer.AsSpan(misalignment, length);

            uint expected = BitwiseReference(register, data);
            uint actual = update(register, data);

            Assert.True(
                expected == actual,
                $"{path}: length {length}, offset {misalignment}, register 0x{register:X8}: expected 0x{expected:X8}, got 0x{actual:X8}");
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Update_EveryMisalignment_EqualsBitwiseReference(string path)
    {
        UpdateFunc update = PathByName(path);
        var random = new Random(42);
        byte[] buffer = new byte[4096 + 64];
        random.NextBytes(buffer);

        foreach (int length in new[] { 15, 16, 17, 63, 64, 65, 255, 256, 257, 4095 })
        {
            for (int misalignment = 0; misalignment < 64; misalignment++)
            {
                uint register = (uint)random.NextInt64(0, 1L << 32);
                ReadOnlySpan<byte> data = buffer.AsSpan(misalignment, length);
                Assert.Equal(BitwiseReference(register, data), update(register, data));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Update_Chained_EqualsUpdateOverConcatenation(string path)
    {
        UpdateFunc update = PathByName(path);
        var random = new Random(7);
        byte[] buffer = new byte[70_000];
        random.NextBytes(buffer);

        for (int i = 0; i < 300; i++)
        {
            int length = random.Next(buffer.Length);
            int split = random.Next(length + 1);
            uint register = (uint)random.NextInt64(0, 1L << 32);
            ReadOnlySpan<byte> data = buffer.AsSpan(0, length);

            uint whole = update(register, data);
            uint chained = update(update(register, data[..split]), data[split..]);

            Assert.Equal(whole, chained);
            Assert.Equal(BitwiseReference(register, data), whole);
        }
    }

    [Fact]
    public void Update_SingleBitFlip_ChangesRegister()
    {
        byte[] data = new byte[1 << 16];
        new Random(3).NextBytes(data);
        uint original = Crc32.Update(0xFFFFFFFF, data);

        foreach (int position in new[] { 0, 1, 63, 64, 255, 256, 30_000, data.Length - 1 })
        {
            data[position] ^= 0x10;
            Assert.NotEqual(original, Crc32.Update(0xFFFFFFFF, data));
            data[position] ^= 0x10;
        }

        Assert.Equal(original, Crc32.Update(0xFFFFFFFF, data));
    }

    [Fact]
    public void Implementation_NamesTheWidestSupportedPath()
    {
        string expected = Pclmulqdq.V512.IsSupported ? "vpclmulqdq-avx512"
            : Pclmulqdq.IsSupported ? "pclmulqdq"
            : ArmCrc32.Arm64.IsSupported ? "arm64-crc32"
            : "table";
        Assert.Equal(expected, Crc32.Implementation);
    }

    [Fact]
    public void FoldingConstants_MatchPolynomialArithmetic()
    {
        Assert.Equal(Crc32.K2080, FoldConstant(2080));
        Assert.Equal(Crc32.K2016, FoldConstant(2016));
        Assert.Equal(Crc32.K544, FoldConstant(544));
        Assert.Equal(Crc32.K480, FoldConstant(480));
        Assert.Equal(Crc32.K416, FoldConstant(416));
        Assert.Equal(Crc32.K352, FoldConstant(352));
        Assert.Equal(Crc32.K288, FoldConstant(288));
        Assert.Equal(Crc32.K224, FoldConstant(224));
        Assert.Equal(Crc32.K160, FoldConstant(160));
        Assert.Equal(Crc32.K96, FoldConstant(96));
        Assert.Equal(Crc32.K64, FoldConstant(64));

        // mu = floor(x^64 / P) by long division, then bit-reversed over 33 bits.
        const ulong p = 0x1_04C1_1DB7;
        UInt128 remainder = UInt128.One << 64;
        ulong quotient = 0;
        for (int shift = 32; shift >= 0; shift--)
        {
            if (((remainder >> (32 + shift)) & 1) != 0)
            {
                remainder ^= (UInt128)p << shift;
                quotient |= 1UL << shift;
            }
        }

        Assert.Equal(Crc32.BarrettMu, Reverse(quotient, 33));
        Assert.Equal(Crc32.BarrettPolynomial, Reverse(p, 33));
    }

    /// <summary>bitreverse32(x^n mod P) &lt;&lt; 1, P = x^32 + 0x04C11DB7.</summary>
    private static ulong FoldConstant(int n)
    {
        ulong r = 1;
        for (int i = 0; i < n; i++)
        {
            r <<= 1;
            if ((r & (1UL << 32)) != 0)
            {
                r ^= 0x1_04C1_1DB7;
            }
        }

        return Reverse(r, 32) << 1;
    }

    private static ulong Reverse(ulong value, int bits)
    {
        ulong result = 0;
        for (int i = 0; i < bits; i++)
        {
            result |= ((value >> i) & 1) << (bits - 1 - i);
        }

        return result;
    }
}
