using System.Security.Cryptography;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Stages.Hashing;
using ForensicPipe.Core.Tests.TestSupport;

namespace ForensicPipe.Core.Tests.Stages;

public class HashConsumerTests
{
    private const int BufferSize = 4096;

    /// <summary>Digests through the whole pipeline equal the coreutils tools' for edge lengths around the
    /// buffer size (4096 here, so one buffer ±1 is 4095/4096/4097).</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(3 * 4096 + 17)]
    public async Task HashConsumer_EdgeLengths_EqualCoreutilsDigests(int length)
    {
        using var directory = new TempDirectory();
        string path = directory.File("input.bin");
        var content = new byte[length];
        new Random(length + 1).NextBytes(content);
        await File.WriteAllBytesAsync(path, content);
        using var pool = new BufferPool(BufferSize);
        var source = new Sources.FileSource(path);
        await source.OpenAsync(default);
        HashConsumer[] hashers = [.. HashAlgorithmKind.Names.Select(name => new HashConsumer(name))];

        PipelineResult result = await new ExtentPipeline(source, [], hashers, pool).RunAsync(default);
        await source.DisposeAsync();

        Assert.True(result.Succeeded);
        Assert.Equal(length, result.PartitionBytes);
        foreach (HashConsumer hasher in hashers)
        {
            Assert.Equal(ExternalTool.Digest(hasher.Algorithm, path), hasher.Digest);
        }
        Assert.Equal(0, pool.Outstanding);
    }

    [Theory]
    [InlineData(10_000, 1000)]
    [InlineData(10_000, 3333)]
    [InlineData(10_000, 10_000)]
    [InlineData(10_000, 20_000)]
    [InlineData(4096, 1)]
    public async Task HashConsumer_Windows_EqualDigestsOfEachSlice(int length, long window)
    {
        var content = new byte[length];
        new Random(7).NextBytes(content);
        var hasher = new HashConsumer("md5", window);
        using var pool = new BufferPool(BufferSize);
        var source = new ScriptedSource(content, ScriptedSource.DataChunks(length, 1500));
        await source.OpenAsync(default);

        PipelineResult result = await new ExtentPipeline(source, [], [hasher], pool).RunAsync(default);

        Assert.True(result.Succeeded);
        int expectedWindows = (int)((length + window - 1) / window);
        Assert.Equal(expectedWindows, hasher.Windows.Count);
        for (int i = 0; i < expectedWindows; i++)
        {
            long start = i * window;
            int size = (int)Math.Min(window, length - start);
            Assert.Equal(start, hasher.Windows[i].Offset);
            Assert.Equal(size, hasher.Windows[i].Length);
            Assert.Equal(Convert.ToHexStringLower(MD5.HashData(content.AsSpan((int)start, size))), hasher.Windows[i].Digest);
        }
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(content)), hasher.Digest);
    }
}
