using System.IO.Compression;
using System.Text;
using ForensicPipe.Formats.Ewf;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Ewf;

/// <summary>How chunks are stored: the vectorised Adler-32 against its byte-at-a-time definition, and the check that
/// lets incompressible chunks skip deflate without losing a chunk deflate would have made smaller.</summary>
public sealed class EwfChunkStorageTests
{
    private const int ChunkSize = 32 * 1024;

    public static TheoryData<int> Lengths => [0, 1, 31, 32, 63, 64, 65, 1000, 5551, 5552, 5553, 5536, 11104, 32768, 32772, 100_003];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Adler32_RandomBytesOfAnyLength_EqualsTheScalarDefinition(int length)
    {
        byte[] data = new byte[length];
        new Random(length).NextBytes(data);
        Assert.Equal(EwfAdler32.ComputeScalar(data), EwfAdler32.Compute(data));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Adler32_AllBytes0xFF_NoLaneOverflows(int length)
    {
        byte[] data = new byte[length];
        data.AsSpan().Fill(0xFF);
        Assert.Equal(EwfAdler32.ComputeScalar(data), EwfAdler32.Compute(data));
    }

    [Fact]
    public void Adler32_KnownValue_MatchesZlib()
    {
        // zlib: adler32(1, "Wikipedia", 9) = 0x11E60398; and over 64 bytes of it, long enough for the vector path.
        Assert.Equal(0x11E60398u, EwfAdler32.Compute("Wikipedia"u8));
        byte[] repeated = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("Wikipedia", 8)));
        Assert.Equal(EwfAdler32.ComputeScalar(repeated), EwfAdler32.Update(EwfAdler32.Compute(repeated.AsSpan(0, 9)), repeated.AsSpan(9)));
    }

    [Fact]
    public void IncompressibleCheck_RandomChunk_IsSkipped()
    {
        byte[] chunk = new byte[ChunkSize];
        new Random(1).NextBytes(chunk);
        Assert.True(EwfIncompressibleCheck.LooksIncompressible(chunk));
        Assert.False(DeflateShrinks(chunk));
    }

    [Fact]
    public void IncompressibleCheck_ZerosTextAndHalfRandom_AreCompressed()
    {
        byte[] zeros = new byte[ChunkSize];
        byte[] text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", 800)))[..ChunkSize];
        byte[] halfRandom = new byte[ChunkSize];
        new Random(2).NextBytes(halfRandom.AsSpan(0, ChunkSize / 2));
        foreach (byte[] chunk in new[] { zeros, text, halfRandom })
        {
            Assert.False(EwfIncompressibleCheck.LooksIncompressible(chunk));
            Assert.True(DeflateShrinks(chunk));
        }
    }

    [Fact]
    public void IncompressibleCheck_RandomBlockRepeatedAtFileSystemBlockDistance_IsCompressed()
    {
        // Uniform bytes, so the entropy test alone would skip it; the repeated 4 KiB block is what deflate uses.
        byte[] chunk = new byte[ChunkSize];
        new Random(3).NextBytes(chunk.AsSpan(0, 4096));
        for (int copy = 4096; copy < ChunkSize; copy += 4096)
        {
            chunk.AsSpan(0, 4096).CopyTo(chunk.AsSpan(copy));
        }
        Assert.False(EwfIncompressibleCheck.LooksIncompressible(chunk));
        Assert.True(DeflateShrinks(chunk));
    }

    [Fact]
    public void IncompressibleCheck_SmallChunk_IsAlwaysCompressed()
    {
        byte[] chunk = new byte[2048];
        new Random(4).NextBytes(chunk);
        Assert.False(EwfIncompressibleCheck.LooksIncompressible(chunk));
    }

    [Fact]
    public async Task EwfSink_MixedMedia_CompressesExactlyTheChunksDeflateMakesSmaller()
    {
        using var folder = new TempDirectory();
        byte[] media = EwfTestSupport.Media(16L << 20, seed: 41);
        int shrinking = Enumerable.Range(0, media.Length / ChunkSize).Count(i => DeflateShrinks(media.AsSpan(i * ChunkSize, ChunkSize)));
        string path = folder.File("mixed.E01");
        EwfSink sink = await EwfTestSupport.WriteAsync(path, media, new EwfSinkOptions { Compression = EwfCompression.Fast });

        Assert.Equal(shrinking, (long)sink.Describe()["compressedChunks"]!);
        Assert.InRange(shrinking, 100, media.Length / ChunkSize - 100);
        Assert.Equal(media, (await EwfTestSupport.ReadAsync(path)).Media);
    }

    // What the writer did before the check: deflate at level 1, kept when smaller than the chunk.
    private static bool DeflateShrinks(ReadOnlySpan<byte> chunk)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, new ZLibCompressionOptions { CompressionLevel = 1 }, leaveOpen: true))
        {
            zlib.Write(chunk);
        }
        return output.Length < chunk.Length - 1;
    }
}
