using System.Diagnostics;
using ForensicPipe.Core.Errors;
using ForensicPipe.Formats.ImageAccess;
using ForensicPipe.Formats.Tests.Partclone;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.ImageAccess;

[Collection(PartcloneCorpusCollection.Name)]
public sealed class RandomAccessImageTests(PartcloneCorpusFixture corpus)
{
    [Theory]
    [InlineData("gzip", ".gz", "gunzip -k")]
    [InlineData("bzip2", ".bz2", "bunzip2 -k")]
    public async Task Open_CompressedImage_RefusedWithTheCommandThatDecompressesIt(string tool, string suffix, string command)
    {
        string copy = corpus.PathOf($"fat-empty.{tool}.pc");
        File.Copy(corpus.PathOf("fat-empty.pc"), copy, overwrite: true);
        File.Delete(copy + suffix);
        await ExternalTool.RunCheckedAsync(tool, ["-k", copy]);

        var error = await Assert.ThrowsAsync<RandomAccessRefusedException>(() => RandomAccessImage.OpenAsync(copy + suffix).AsTask());

        Assert.Contains($"{tool}-compressed", error.Message);
        Assert.Contains($"{command} '{copy}{suffix}'", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Open_CompressedSplitPiece_RemedyConcatenatesTheSet()
    {
        string piece = corpus.PathOf("split.ptcl-img.gz.aa");
        await File.WriteAllBytesAsync(piece, [0x1F, 0x8B, 8, 0, 0, 0, 0, 0]);
        var error = await Assert.ThrowsAsync<RandomAccessRefusedException>(() => RandomAccessImage.OpenAsync(piece).AsTask());
        // Every piece, not only .a?: split names its 27th piece .ba.
        Assert.Contains($"cat '{corpus.PathOf("split.ptcl-img.gz")}'.?? | gzip -dc > '{corpus.PathOf("split.ptcl-img")}'", error.Message);
    }

    [Fact]
    public async Task Open_NamedPipe_RefusedWithoutWaitingForAWriter()
    {
        string fifo = corpus.PathOf("image.fifo");
        File.Delete(fifo);
        await ExternalTool.RunCheckedAsync("mkfifo", [fifo]);
        var watch = Stopwatch.StartNew();
        Task<IRandomAccessImage> open = RandomAccessImage.OpenAsync(fifo).AsTask();
        Task finished = await Task.WhenAny(open, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.Same(open, finished);
        var error = await Assert.ThrowsAsync<RandomAccessRefusedException>(() => open);
        Assert.Contains("is a pipe", error.Message);
        Assert.Contains("cat ", error.Message);
    }

    [Fact]
    public async Task Open_StandardInput_Refused()
    {
        var error = await Assert.ThrowsAsync<RandomAccessRefusedException>(() => RandomAccessImage.OpenAsync("-").AsTask());
        Assert.Contains("standard input", error.Message);
    }

    [Theory]
    [InlineData("ext2gz.pimg.000", "gzip")]
    [InlineData("ext2bz.pimg.000", "bzip2")]
    public async Task Open_CompressedPartimageVolumes_RefusedWithTheCommand(string image, string compressor)
    {
        var error = await Assert.ThrowsAsync<RandomAccessRefusedException>(() => RandomAccessImage.OpenAsync(corpus.PathOf(image)).AsTask());
        Assert.Contains(compressor, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_MissingFileOrDirectory_OneLineErrors()
    {
        await Assert.ThrowsAsync<DeviceIOException>(() => RandomAccessImage.OpenAsync(corpus.PathOf("no-such.pc")).AsTask());
        await Assert.ThrowsAsync<RandomAccessRefusedException>(() => RandomAccessImage.OpenAsync(corpus.Directory).AsTask());
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(32)]
    public async Task Open_BadIndexSize_Refused(int indexSize)
    {
        var error = await Assert.ThrowsAsync<RandomAccessRefusedException>(() =>
            RandomAccessImage.OpenAsync(corpus.PathOf("ext4.pc"), new RandomAccessOptions { IndexSize = indexSize }).AsTask());
        Assert.Contains("power of two", error.Message);
    }

    [Fact]
    public async Task Open_RawFile_ReadsTheFileAsItIs()
    {
        string raw = corpus.PathOf("ext4.raw");
        byte[] bytes = await File.ReadAllBytesAsync(raw);
        using IRandomAccessImage image = await RandomAccessImage.OpenAsync(raw);
        Assert.IsType<RawRandomAccess>(image);
        Assert.Equal("raw", image.Format);
        Assert.Equal(bytes.Length, image.Length);
        AssertRandomReadsEqual(image, bytes, seed: 1);
    }

    [Fact]
    public async Task Open_LoopBlockDevice_SizeFromTheDeviceAndBytesEqual()
    {
        string raw = corpus.PathOf("fat.raw");
        byte[] bytes = await File.ReadAllBytesAsync(raw);
        using var loop = LoopDevice.Attach(raw, readOnly: true);
        using IRandomAccessImage image = await RandomAccessImage.OpenAsync(loop.Path);
        Assert.Equal(bytes.Length, image.Length);
        Assert.True(Assert.IsType<RawRandomAccess>(image).Describe()["blockDevice"]!.GetValue<bool>());
        AssertRandomReadsEqual(image, bytes, seed: 2);
    }

    private static void AssertRandomReadsEqual(IRandomAccessImage image, byte[] bytes, int seed)
    {
        var random = new Random(seed);
        byte[] buffer = new byte[200_000];
        for (int i = 0; i < 2000; i++)
        {
            long offset = random.NextInt64(0, bytes.Length + 10);
            int length = random.Next(1, buffer.Length);
            int got = image.Read(offset, buffer.AsSpan(0, length));
            Assert.Equal((int)Math.Clamp(bytes.Length - offset, 0, length), got);
            Assert.True(bytes.AsSpan((int)Math.Min(offset, bytes.Length), got).SequenceEqual(buffer.AsSpan(0, got)));
        }
    }
}
