using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.Ewf;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Ewf;

/// <summary>Sets written by ewfacquire, read by our reader and random access, byte for byte.</summary>
public sealed class EwfReaderPeerTests
{
    [Theory]
    [InlineData("none", "64", "0")]
    [InlineData("fast", "64", "0")]
    [InlineData("best", "64", "0")]
    [InlineData("fast", "16", "1048576")]
    [InlineData("none", "128", "1048576")]
    [InlineData("best", "256", "0")]
    public async Task EwfReader_EwfacquireSet_ReadsTheSourceAndVerifiesItsDigests(string compression, string sectorsPerChunk, string segmentSize)
    {
        using var folder = new TempDirectory();
        byte[] media = EwfTestSupport.Media(3 << 20, seed: sectorsPerChunk.Length + compression.Length);
        string source = folder.File("source.raw");
        await File.WriteAllBytesAsync(source, media);
        var arguments = new List<string> { "-u", "-q", "-c", compression, "-b", sectorsPerChunk, "-d", "sha1", "-C", "C-1", "-E", "E-2", "-e", "Examiner", "-D", "Described", "-N", "Noted", "-t", folder.File("acq") };
        if (segmentSize != "0")
        {
            arguments.AddRange(["-S", segmentSize]);
        }
        arguments.Add(source);
        ToolResult acquire = await EwfTestSupport.RunAsync("ewfacquire", [.. arguments]);
        Assert.True(acquire.ExitCode == 0, acquire.ToString() + acquire.StandardOutput);
        if (segmentSize != "0" && compression == "none")
        {
            Assert.True(File.Exists(folder.File("acq.E03")), "ewfacquire -S made fewer segments than the test needs");
        }

        (byte[] read, VerificationLog log, Core.Pipeline.SourceInfo info) = await EwfTestSupport.ReadAsync(folder.File("acq.E01"), bufferSize: 65536);

        Assert.Equal(media, read);
        Assert.Equal(0, log.MismatchCount);
        long chunkBytes = 512L * int.Parse(sectorsPerChunk);
        long chunks = (media.Length + chunkBytes - 1) / chunkBytes;
        Assert.Equal(chunks + 2, log.Checked);
        Assert.Equal("C-1", info.Details!["case"]!["caseNumber"]!.GetValue<string>());
        Assert.Equal("Described", info.Details!["case"]!["description"]!.GetValue<string>());
        Assert.Equal(EwfTestSupport.Sha1(media), info.Details!["sha1"]!.GetValue<string>());

        using EwfRandomAccess image = EwfRandomAccess.Open(folder.File("acq.E01"));
        Assert.Equal(media.Length, image.Length);
        var random = new Random(4);
        byte[] piece = new byte[100_000];
        for (int i = 0; i < 20; i++)
        {
            long offset = random.NextInt64(media.Length);
            int got = image.Read(offset, piece);
            Assert.Equal((int)Math.Min(piece.Length, media.Length - offset), got);
            Assert.True(media.AsSpan((int)offset, got).SequenceEqual(piece.AsSpan(0, got)), $"read at {offset}");
        }
    }

    [Fact]
    public async Task EwfRandomAccess_ManyThreads_ReadTheSameBytesAsTheSource()
    {
        using var folder = new TempDirectory();
        byte[] media = EwfTestSupport.Media(4 << 20, seed: 21);
        string path = folder.File("ra.E01");
        await EwfTestSupport.WriteAsync(path, media, new EwfSinkOptions { SegmentSize = 1 << 20, Compression = EwfCompression.None });
        using EwfRandomAccess image = EwfRandomAccess.Open(path);

        await Parallel.ForAsync(0, 8, async (thread, _) =>
        {
            await Task.Yield();
            var random = new Random(thread);
            byte[] buffer = new byte[40_000];
            for (int i = 0; i < 200; i++)
            {
                long offset = random.NextInt64(media.Length);
                int got = image.Read(offset, buffer);
                Assert.True(media.AsSpan((int)offset, got).SequenceEqual(buffer.AsSpan(0, got)));
            }
        });
        Assert.Equal(0, image.Read(media.Length, new byte[10]));
    }
}
