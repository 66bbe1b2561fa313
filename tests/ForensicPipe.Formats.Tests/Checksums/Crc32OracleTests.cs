using System.Runtime.Intrinsics.X86;
using ForensicPipe.Formats.Checksums;
using ArmCrc32 = System.Runtime.Intrinsics.Arm.Crc32;
using PackageCrc32 = System.IO.Hashing.Crc32;

namespace ForensicPipe.Formats.Tests.Checksums;

/// <summary>
/// Our CRC-32 against System.IO.Hashing's as the oracle. Ours is kept because it is faster on CPUs with
/// VPCLMULQDQ (benchmarks/ForensicPipe.Benchmarks/Crc32PackageBenchmarks.cs); these tests keep it equal.
/// The package computes the standard CRC (seed 0xFFFFFFFF, inverted result); partclone stores the raw register,
/// so <c>Update(0xFFFFFFFF, d) == ~HashToUInt32(d)</c>, and an appended-to package instance gives the register
/// carried across pieces.
/// </summary>
public sealed class Crc32OracleTests
{
    private delegate uint UpdateFunc(uint register, ReadOnlySpan<byte> data);

    private const uint Seed = 0xFFFFFFFF;

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

    [Theory]
    [MemberData(nameof(Paths))]
    public void Update_FromSeedEveryLengthTo4100AndPartcloneSizes_EqualsPackageInverted(string path)
    {
        UpdateFunc update = PathByName(path);
        var random = new Random(0x0AC1E);
        byte[] buffer = new byte[(1 << 20) + 4 + 64];
        random.NextBytes(buffer);
        // Every length up to a 4 KiB block and its 4-byte CRC; then 16 KiB groups and a 1 MiB buffer, each ±1.
        IEnumerable<int> lengths = Enumerable.Range(0, 4101)
            .Concat(new[] { 8192, 16 * 1024, 64 * 1024, 1 << 20 }.SelectMany(size => new[] { size - 1, size, size + 1, size + 4 }));
        foreach (int length in lengths)
        {
            int misalignment = random.Next(64);
            ReadOnlySpan<byte> data = buffer.AsSpan(misalignment, length);
            uint expected = ~PackageCrc32.HashToUInt32(data);
            uint actual = update(Seed, data);
            Assert.True(expected == actual, $"{path}: length {length}, offset {misalignment}: package 0x{expected:X8}, ours 0x{actual:X8}");
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Update_RegisterCarriedAcrossPieces_EqualsPackageAppends(string path)
    {
        UpdateFunc update = PathByName(path);
        var random = new Random(17);
        byte[] buffer = new byte[3 * 16 * 1024];
        random.NextBytes(buffer);
        for (int i = 0; i < 200; i++)
        {
            var package = new PackageCrc32();
            uint register = Seed;
            int position = 0;
            while (position < buffer.Length)
            {
                int length = Math.Min(random.Next(1, 9000), buffer.Length - position);
                ReadOnlySpan<byte> piece = buffer.AsSpan(position, length);
                package.Append(piece);
                register = update(register, piece);
                Assert.Equal(~package.GetCurrentHashAsUInt32(), register);
                position += length;
            }
        }
    }

    [Fact]
    public void Update_PartcloneV1FirstByteVector_EqualsPackageOverRepeatedByte()
    {
        // docs/formats/partclone.md: format 0001 feeds the block's first byte block-size times; one 9-byte block
        // "123456789" gives the register of "111111111", 0xCE159010.
        byte[] repeated = [.. Enumerable.Repeat((byte)'1', 9)];
        Assert.Equal(0xCE159010u, ~PackageCrc32.HashToUInt32(repeated));
        Assert.Equal(~PackageCrc32.HashToUInt32(repeated), Crc32.Update(Seed, repeated));
    }
}
