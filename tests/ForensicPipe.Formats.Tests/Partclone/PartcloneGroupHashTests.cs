using System.Text;
using ForensicPipe.Formats.Partclone;

namespace ForensicPipe.Formats.Tests.Partclone;

/// <summary>The XXH64 / XXH3-128 values partclone stores and how they are read and printed
/// (docs/formats/partclone.md, "XXH checksums"; vectors of the xxHash reference implementation).</summary>
public sealed class PartcloneGroupHashTests
{
    private static readonly byte[] s_vectorInput = Encoding.ASCII.GetBytes("123456789");

    [Fact]
    public void Xxh64_Vector_StoredLittleEndianAndPrintedMostSignificantFirst()
    {
        var hash = new PartcloneGroupHash(PartcloneChecksumMode.XxHash64);
        hash.Append(s_vectorInput);

        Assert.Equal((UInt128)0x8CB841DB40E6AE83UL, hash.Current);
        Assert.Equal(hash.Current, PartcloneGroupHash.ReadStored([0x83, 0xAE, 0xE6, 0x40, 0xDB, 0x41, 0xB8, 0x8C]));
        Assert.Equal("8cb841db40e6ae83", PartcloneGroupHash.Format(hash.Current, 8));
    }

    [Fact]
    public void Xxh3128_Vector_StoredAsLow64ThenHigh64EachLittleEndian()
    {
        var hash = new PartcloneGroupHash(PartcloneChecksumMode.Xxh3128);
        hash.Append(s_vectorInput);
        // partclone memcpy's the C struct {low64, high64}: bytes 0-7 = low64 LE, bytes 8-15 = high64 LE.
        byte[] stored = [0x60, 0x58, 0x1D, 0x68, 0x27, 0x64, 0x71, 0xE9, 0xD5, 0xDC, 0xE5, 0xED, 0x77, 0x94, 0x11, 0x33];

        Assert.Equal(new UInt128(0x33119477EDE5DCD5UL, 0xE9716427681D5860UL), hash.Current);
        Assert.Equal(hash.Current, PartcloneGroupHash.ReadStored(stored));
        Assert.Equal("33119477ede5dcd5e9716427681d5860", PartcloneGroupHash.Format(hash.Current, 16));
    }

    [Fact]
    public void Crc32_Vector_IsTheRawRegister()
    {
        var hash = new PartcloneGroupHash(PartcloneChecksumMode.Crc32);
        hash.Append(s_vectorInput);

        Assert.Equal((UInt128)0x340BC6D9u, hash.Current);
        Assert.Equal("340bc6d9", PartcloneGroupHash.Format(hash.Current, 4));
    }

    /// <summary>The verifier hashes as few spans as the group ends allow; partclone appends one block at a time.
    /// Both give the same value, also across Reset (reseed) and when the value is read mid-stream (-K).</summary>
    [Theory]
    [InlineData(PartcloneChecksumMode.XxHash64)]
    [InlineData(PartcloneChecksumMode.Xxh3128)]
    [InlineData(PartcloneChecksumMode.Crc32)]
    public void Append_AnySplitAndReset_SameValueAsOneSpan(PartcloneChecksumMode mode)
    {
        var random = new Random(4711);
        byte[] data = new byte[300_000];
        random.NextBytes(data);
        var whole = new PartcloneGroupHash(mode);
        var pieces = new PartcloneGroupHash(mode);
        whole.Append(data.AsSpan(0, 5));
        whole.Reset();
        whole.Append(data);

        pieces.Append(data.AsSpan(0, 5));
        pieces.Reset();
        int position = 0;
        while (position < data.Length)
        {
            int length = Math.Min(data.Length - position, random.Next(4) == 0 ? 4096 : random.Next(0, 70_000));
            pieces.Append(data.AsSpan(position, length));
            _ = pieces.Current; // reading the value must not change the state (-K images go on after it)
            position += length;
        }

        Assert.Equal(whole.Current, pieces.Current);
    }
}
