using System.Buffers.Binary;
using ForensicPipe.Core.Errors;
using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Input;

/// <summary>Every compressor Clonezilla uses, made by the real tool (several frames, members, blocks, streams), read
/// back through <see cref="SequentialImage"/>; damaged and truncated streams name the file and the compressed offset.</summary>
public sealed class CompressedInputTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly byte[] _data = Sample(7, 3_000_000);

    public CompressedInputTests()
    {
        File.WriteAllBytes(_folder.File("image"), _data);
    }

    /// <summary>Half random, half repeated bytes: compressible and not, several blocks of every compressor.</summary>
    internal static byte[] Sample(int seed, int length)
    {
        var random = new Random(seed);
        byte[] data = new byte[length];
        for (int i = 0; i < length; i += 4096)
        {
            Span<byte> block = data.AsSpan(i, Math.Min(4096, length - i));
            if ((i / 4096) % 2 == 0)
            {
                random.NextBytes(block);
            }
            else
            {
                block.Fill((byte)(i / 4096));
            }
        }
        return data;
    }

    /// <summary>Commands that compress <c>image</c> into <c>out</c>, as Clonezilla and users do.</summary>
    public static TheoryData<string, string, ImageCompression> Variants => new()
    {
        { "zstd -T0 -3", "zstd -q -T0 -3 -c image > out", ImageCompression.Zstd },
        { "zstd, three frames", "head -c 1000000 image | zstd -q -c > out; tail -c +1000001 image | head -c 1000000 | zstd -q -c >> out; tail -c +2000001 image | zstd -q -c >> out", ImageCompression.Zstd },
        { "zstd --no-check", "zstd -q --no-check -c image > out", ImageCompression.Zstd },
        { "pigz", "pigz -c image > out", ImageCompression.Gzip },
        { "gzip, two members", "head -c 1234567 image | gzip -c > out; tail -c +1234568 image | gzip -c >> out", ImageCompression.Gzip },
        { "xz -T0, many blocks", "xz -T0 --block-size=262144 -c image > out", ImageCompression.Xz },
        { "xz, two streams", "head -c 1000000 image | xz -c > out; tail -c +1000001 image | xz -c >> out", ImageCompression.Xz },
        { "lz4", "lz4 -q -c image > out", ImageCompression.Lz4 },
        { "lz4, two frames", "head -c 1000000 image | lz4 -q -c > out; tail -c +1000001 image | lz4 -q -c >> out", ImageCompression.Lz4 },
        { "bzip2, two streams", "head -c 1000000 image | bzip2 -c > out; tail -c +1000001 image | bzip2 -c >> out", ImageCompression.Bzip2 },
    };

    private async Task<string> CompressAsync(string command, string name = "out")
    {
        await ExternalTool.RunCheckedAsync("bash", ["-c", command.Replace(" out", $" {name}", StringComparison.Ordinal)], _folder.Path);
        return _folder.File(name);
    }

    internal static async Task<byte[]> ReadAllAsync(Stream stream, int chunk = 65536)
    {
        using var output = new MemoryStream();
        byte[] buffer = new byte[chunk];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            output.Write(buffer, 0, n);
        }
        return output.ToArray();
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task SequentialImage_ToolCompressed_DecodesToTheOriginal(string what, string command, ImageCompression expected)
    {
        string path = await CompressAsync(command);

        using SequentialImage image = SequentialImage.Open(path);
        byte[] decoded = await ReadAllAsync(image.Stream);

        Assert.Equal(expected, image.Compression);
        Assert.True(_data.AsSpan().SequenceEqual(decoded), what);
        Assert.True(_data.AsSpan(0, SequentialImage.ProbeSize).SequenceEqual(image.Probe));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task SequentialImage_FromANonSeekableStreamInOddChunks_DecodesToTheOriginal(string what, string command, ImageCompression expected)
    {
        string path = await CompressAsync(command);
        var pipe = new NonSeekableStream(new MemoryStream(await File.ReadAllBytesAsync(path)), maxChunk: 777);

        using SequentialImage image = SequentialImage.Open(pipe, path);
        byte[] decoded = await ReadAllAsync(image.Stream, chunk: 1001);

        Assert.Equal(expected, image.Compression);
        Assert.True(_data.AsSpan().SequenceEqual(decoded), what);
    }

    [Theory]
    [InlineData("zstd -q -T0 -3 -c image")]
    [InlineData("xz -T0 --block-size=65536 -c image")]
    [InlineData("pigz -c image")]
    public async Task SequentialImage_CompressedFifoOpenedOnce_ProbeAndReaderGetEveryByteFromTheFirst(string command)
    {
        // One open serves detection (the probe) and the reader (the stream replays the probe).
        string fifo = _folder.File("fifo");
        await ExternalTool.RunCheckedAsync("mkfifo", [fifo]);
        Task<ToolResult> writer = ExternalTool.RunAsync("bash", ["-c", $"{command} > fifo"], _folder.Path);

        using SequentialImage image = SequentialImage.Open(fifo);
        Assert.True(_data.AsSpan(0, SequentialImage.ProbeSize).SequenceEqual(image.Probe));
        byte[] decoded = await CompressedInputTests.ReadAllAsync(image.Stream);

        Assert.Equal(0, (await writer).ExitCode);
        Assert.True(_data.AsSpan().SequenceEqual(decoded));
    }

    [Fact]
    public async Task SequentialImage_ZstdWithASkippableFrameFirst_SkipsItAndDecodes()
    {
        string zstd = await CompressAsync("zstd -q -c image > out");
        // A skippable frame (magic 0x184D2A5?, length, payload) as zstd's format defines it; no CLI writes one.
        byte[] skippable = new byte[8 + 1000];
        BinaryPrimitives.WriteUInt32LittleEndian(skippable, 0x184D2A53);
        BinaryPrimitives.WriteUInt32LittleEndian(skippable.AsSpan(4), 1000);
        skippable.AsSpan(8).Fill(0xEE);
        string path = _folder.File("skippable.zst");
        await File.WriteAllBytesAsync(path, [.. skippable, .. await File.ReadAllBytesAsync(zstd)]);
        ToolResult reference = await ExternalTool.RunAsync("bash", ["-c", "zstd -dc skippable.zst | cmp - image"], _folder.Path);

        using SequentialImage image = SequentialImage.Open(path);
        byte[] decoded = await ReadAllAsync(image.Stream);

        Assert.Equal(0, reference.ExitCode); // zstd itself reads it so
        Assert.Equal(ImageCompression.Zstd, image.Compression);
        Assert.True(_data.AsSpan().SequenceEqual(decoded));
    }

    /// <summary>Compressed files whose own check fails in the last bytes: the trailer holds the check.</summary>
    public static TheoryData<string, string, int> DamagedChecks => new()
    {
        // zstd: the content checksum is the frame's last 4 bytes.
        { "zstd -q -c image > out", "zstd", 2 },
        // gzip: CRC-32 then ISIZE, the member's last 8 bytes.
        { "gzip -c image > out", "gzip", 6 },
        // lz4: the content checksum is the frame's last 4 bytes.
        { "lz4 -q -c image > out", "lz4", 2 },
        // xz: stream footer (12), index (12 for one block), then the block's CRC-64 (8).
        { "xz -c image > out", "xz", 12 + 12 + 4 },
        // bzip2: the end-of-stream marker (48 bits) and the combined CRC (32 bits) end the stream, padded to a byte.
        { "bzip2 -c image > out", "bzip2", 2 },
    };

    [Theory]
    [MemberData(nameof(DamagedChecks))]
    public async Task SequentialImage_ChecksumByteFlipped_ThrowsNamingTheFileAndOffset(string command, string compressor, int fromEnd)
    {
        string path = await CompressAsync(command);
        byte[] bytes = await File.ReadAllBytesAsync(path);
        long flipped = bytes.Length - fromEnd;
        bytes[flipped] ^= 0x5A;
        await File.WriteAllBytesAsync(path, bytes);

        var error = await Assert.ThrowsAsync<ImageFormatException>(async () =>
        {
            using SequentialImage image = SequentialImage.Open(path);
            await ReadAllAsync(image.Stream);
        });

        Assert.StartsWith($"{path}: {compressor} data at byte ", error.Message, StringComparison.Ordinal);
        Assert.InRange(error.ByteOffset, flipped, bytes.Length);
        Assert.False(error.IsChecksumMismatch); // a damaged file, exit code 1
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task SequentialImage_TruncatedFile_ThrowsTruncatedAtItsEnd(string what, string command, ImageCompression expected)
    {
        string path = await CompressAsync(command);
        byte[] bytes = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, bytes[..^3]);

        var error = await Assert.ThrowsAsync<ImageFormatException>(async () =>
        {
            using SequentialImage image = SequentialImage.Open(path);
            await ReadAllAsync(image.Stream);
        });

        Assert.StartsWith($"{path}: {DecoderFactory.Name(expected)} data at byte {bytes.Length - 3}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(what);
    }

    [Fact]
    public async Task SequentialImage_GzipFollowedByGarbage_ThrowsAtTheGarbage()
    {
        string path = await CompressAsync("gzip -c image > out; printf 'JUNK' >> out");
        long gzipLength = new FileInfo(path).Length - 4;

        var error = await Assert.ThrowsAsync<ImageFormatException>(async () =>
        {
            using SequentialImage image = SequentialImage.Open(path);
            await ReadAllAsync(image.Stream);
        });

        Assert.Contains("not another gzip member", error.Message, StringComparison.Ordinal);
        Assert.InRange(error.ByteOffset, gzipLength, gzipLength + 4);
    }

    [Fact]
    public async Task SequentialImage_DecodeErrorMidStream_DeliversTheBytesBeforeItThenThrows()
    {
        // Two gzip members, the second with a broken CRC: the first member's bytes arrive, then the error.
        string first = await CompressAsync("head -c 1500000 image | gzip -c > out", "first.gz");
        string second = await CompressAsync("tail -c +1500001 image | gzip -c > out", "second.gz");
        byte[] broken = await File.ReadAllBytesAsync(second);
        broken[^6] ^= 0xFF;
        string path = _folder.File("both.gz");
        await File.WriteAllBytesAsync(path, [.. await File.ReadAllBytesAsync(first), .. broken]);

        using SequentialImage image = SequentialImage.Open(path);
        byte[] buffer = new byte[_data.Length];
        int got = 0;
        var error = await Assert.ThrowsAsync<ImageFormatException>(async () =>
        {
            int n;
            while ((n = await image.Stream.ReadAsync(buffer.AsMemory(got))) > 0)
            {
                got += n;
            }
        });

        Assert.True(got >= 1_500_000, $"only {got} bytes before the error");
        Assert.True(_data.AsSpan(0, got).SequenceEqual(buffer.AsSpan(0, got)));
        Assert.Contains("incorrect data check", error.Message, StringComparison.Ordinal);
        // The error stays: reading on does not look like an end.
        await Assert.ThrowsAsync<ImageFormatException>(async () => _ = await image.Stream.ReadAtLeastAsync(buffer, 1, throwOnEndOfStream: false));
    }

    [Fact]
    public void CompressedInput_SplitZstdPiece_CommandCatsEveryPieceInOrder()
    {
        string set = _folder.File("sda1.ext4-ptcl-img.zst");
        foreach (string suffix in new[] { "aa", "ab", "ac" })
        {
            File.WriteAllBytes($"{set}.{suffix}", [0x28, 0xB5, 0x2F, 0xFD]);
        }

        string command = CompressedInput.Detect([0x28, 0xB5, 0x2F, 0xFD])!.DecompressCommand($"{set}.ab");

        Assert.Equal($"cat '{set}'.?? | zstd -dc > '{_folder.File("sda1.ext4-ptcl-img")}'", command);
    }

    public void Dispose() => _folder.Dispose();
}
