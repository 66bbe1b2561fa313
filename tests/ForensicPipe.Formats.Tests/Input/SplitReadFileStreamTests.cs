using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Input;

/// <summary>Large reads of a plain image file, split in two halves read at once, give the file's bytes in order.</summary>
public sealed class SplitReadFileStreamTests
{
    /// <summary>Bytes that the reads before the last one take, from offset 100.</summary>
    private const int BeforeLastRead = (1 << 20) + 7 + SplitReadFileStream.SplitThreshold + 300_000 + (1 << 20);

    [Theory]
    [InlineData(100_000)] // the last read ends inside its first half
    [InlineData(700_000)] // … inside its second half
    public async Task SplitReadFileStream_MixedReadSizes_ReturnsTheFileInOrderAndEndsShortAtItsEnd(int lastReadBytes)
    {
        using var folder = new TempDirectory();
        byte[] content = new byte[100 + BeforeLastRead + lastReadBytes];
        new Random(20260601).NextBytes(content);
        string path = folder.File("image.bin");
        await File.WriteAllBytesAsync(path, content);

        var file = SequentialImage.OpenFile(path);
        file.Position = 100;
        await using var stream = new SplitReadFileStream(file);
        var read = new MemoryStream();
        int[] sizes = [1 << 20, 7, SplitReadFileStream.SplitThreshold, 300_000, 1 << 20, 1 << 20];
        byte[] buffer = new byte[1 << 20];
        var counts = new List<int>();
        foreach (int size in sizes)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(0, size));
            counts.Add(n);
            read.Write(buffer, 0, n);
        }

        Assert.Equal([.. sizes[..^1], lastReadBytes], counts);
        Assert.Equal(content.AsSpan(100).ToArray(), read.ToArray());
        Assert.Equal(content.Length, file.Position);
        Assert.Equal(0, await stream.ReadAsync(buffer.AsMemory(0, 1 << 20)));
        Assert.True(stream.SplitReads >= 4);
    }

    [Fact]
    public async Task SplitReadFileStream_LessThanTheThresholdLeft_OneReadWithoutTheHelperAndAFileThatGrewIsReadToItsEnd()
    {
        using var folder = new TempDirectory();
        byte[] content = new byte[SplitReadFileStream.SplitThreshold - 1];
        new Random(11).NextBytes(content);
        string path = folder.File("small.bin");
        await File.WriteAllBytesAsync(path, content);

        var file = SequentialImage.OpenFile(path);
        await using var stream = new SplitReadFileStream(file);
        // Bytes appended after opening: still read, in reads that are not split.
        byte[] appended = new byte[3 * SplitReadFileStream.SplitThreshold];
        new Random(12).NextBytes(appended);
        await using (var writer = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
        {
            await writer.WriteAsync(appended);
        }
        var read = new MemoryStream();
        byte[] buffer = new byte[1 << 20];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            read.Write(buffer, 0, n);
        }

        Assert.Equal([.. content, .. appended], read.ToArray());
        Assert.Equal(0, stream.SplitReads);
    }

    [Fact]
    public async Task SequentialImage_PlainFile_ReadsThroughSplitReadsAfterTheProbe()
    {
        using var folder = new TempDirectory();
        byte[] content = new byte[2 << 20];
        new Random(7).NextBytes(content);
        string path = folder.File("plain.bin");
        await File.WriteAllBytesAsync(path, content);

        using SequentialImage image = SequentialImage.Open(path);
        byte[] all = new byte[content.Length + 1];
        int total = await image.Stream.ReadAtLeastAsync(all, all.Length, throwOnEndOfStream: false);

        Assert.Equal(content.Length, total);
        Assert.Equal(content, all.AsSpan(0, total).ToArray());
        Assert.NotNull(image.SeekableFile);
    }
}
