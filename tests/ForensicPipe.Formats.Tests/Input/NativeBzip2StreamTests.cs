using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Input;

public sealed class NativeBzip2StreamTests
{
    private static async Task<byte[]> CompressAsync(byte[] data, TempDirectory folder, string name)
    {
        string path = folder.File(name);
        await File.WriteAllBytesAsync(path, data);
        await ExternalTool.RunCheckedAsync("bzip2", ["-k", "-f", path]);
        return await File.ReadAllBytesAsync(path + ".bz2");
    }

    private static byte[] Sample(int seed, int length)
    {
        var random = new Random(seed);
        byte[] data = new byte[length];
        for (int i = 0; i < length; i += 4096)
        {
            // half random, half repeated bytes: several bzip2 blocks, compressible and not
            if ((i / 4096) % 2 == 0)
            {
                random.NextBytes(data.AsSpan(i, Math.Min(4096, length - i)));
            }
            else
            {
                data.AsSpan(i, Math.Min(4096, length - i)).Fill((byte)(i / 4096));
            }
        }
        return data;
    }

    private static async Task<byte[]> DecodeAsync(byte[] compressed, int chunk, bool async)
    {
        await using var stream = new NativeBzip2Stream(new NonSeekableStream(new MemoryStream(compressed), maxChunk: 777));
        using var output = new MemoryStream();
        byte[] buffer = new byte[chunk];
        int n;
        while ((n = async ? await stream.ReadAsync(buffer) : stream.Read(buffer)) > 0)
        {
            output.Write(buffer, 0, n);
        }
        return output.ToArray();
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(4096, true)]
    [InlineData(1 << 20, true)]
    public async Task NativeBzip2Stream_BzipOutput_DecodesToTheOriginal(int chunk, bool async)
    {
        Assert.True(NativeBzip2Stream.IsAvailable, "libbz2.so.1.0 (Debian package libbz2-1.0) is needed");
        using var folder = new TempDirectory();
        byte[] data = Sample(1, 3_000_000);
        byte[] compressed = await CompressAsync(data, folder, "a");

        byte[] decoded = await DecodeAsync(compressed, chunk, async);

        Assert.True(data.AsSpan().SequenceEqual(decoded));
    }

    [Fact]
    public async Task NativeBzip2Stream_ConcatenatedStreams_DecodesBothLikeBzip2()
    {
        using var folder = new TempDirectory();
        byte[] first = Sample(2, 500_000);
        byte[] second = Sample(3, 700_000);
        byte[] compressed = [.. await CompressAsync(first, folder, "a"), .. await CompressAsync(second, folder, "b")];

        byte[] decoded = await DecodeAsync(compressed, 65536, async: true);

        Assert.True(decoded.AsSpan().SequenceEqual([.. first, .. second]));
    }

    [Fact]
    public async Task NativeBzip2Stream_Truncated_ThrowsInvalidData()
    {
        using var folder = new TempDirectory();
        byte[] compressed = await CompressAsync(Sample(4, 2_000_000), folder, "a");

        await Assert.ThrowsAsync<InvalidDataException>(() => DecodeAsync(compressed[..(compressed.Length / 2)], 65536, async: true));
    }

    [Fact]
    public async Task NativeBzip2Stream_DamagedBlock_ThrowsInvalidData()
    {
        using var folder = new TempDirectory();
        byte[] compressed = await CompressAsync(Sample(5, 2_000_000), folder, "a");
        compressed[compressed.Length / 3] ^= 0xFF;

        await Assert.ThrowsAsync<InvalidDataException>(() => DecodeAsync(compressed, 65536, async: false));
    }
}
