using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Input;

/// <summary>The decoder thread keeps a fixed number of chunks whatever the size of the input; an input that ends within
/// the first chunk is decoded without one.</summary>
public sealed class DecoderThreadStreamTests
{
    [Fact]
    public async Task DecoderThreadStream_LargeOutputReadSlowly_NeverHoldsMoreThanItsChunks()
    {
        using var folder = new TempDirectory();
        // 512 MiB of zeros compress to a few kilobytes: the decoder could run far ahead if nothing held it back.
        await ExternalTool.RunCheckedAsync("bash", ["-c", "head -c 536870912 /dev/zero | zstd -q -c > zeros.zst"], folder.Path);
        var stream = new DecoderThreadStream(File.OpenRead(folder.File("zeros.zst")), new ZstdDecoder(),
            offset => new InputLocation("zeros.zst", offset), chunkSize: 64 * 1024, chunkCount: 3);
        await using (stream)
        {
            byte[] buffer = new byte[1 << 20];
            long total = 0;
            int peak = 0;
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                total += n;
                peak = Math.Max(peak, stream.ChunksCreated);
                if (total < 8 << 20)
                {
                    await Task.Delay(1); // a slow reader at first: the decoder must wait, not allocate
                }
            }

            Assert.Equal(536870912L, total);
            Assert.Equal(3, peak);
            Assert.True(stream.CompressedBytes > 0);
        }
    }

    [Fact]
    public async Task DecoderThreadStream_DisposedMidway_StopsTheThread()
    {
        using var folder = new TempDirectory();
        await ExternalTool.RunCheckedAsync("bash", ["-c", "head -c 67108864 /dev/zero | xz -0 -c > zeros.xz"], folder.Path);
        var input = new TrackingStream(await File.ReadAllBytesAsync(folder.File("zeros.xz")));
        var stream = new DecoderThreadStream(input, new XzDecoder(), offset => new InputLocation("zeros.xz", offset), chunkSize: 4096, chunkCount: 2);
        byte[] buffer = new byte[100];
        Assert.Equal(100, await stream.ReadAsync(buffer));

        await stream.DisposeAsync();

        // The thread releases the input when it sees the reader gone.
        Assert.True(await input.Disposed.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task DecoderThreadStream_OutputWithinTheFirstChunk_DecodedWithoutAThreadAndInputReleasedAtItsEnd()
    {
        using var folder = new TempDirectory();
        await ExternalTool.RunCheckedAsync("bash", ["-c", "seq 1 20000 | gzip -c > small.gz; seq 1 20000 > small.txt"], folder.Path);
        var input = new TrackingStream(await File.ReadAllBytesAsync(folder.File("small.gz")));
        var stream = new DecoderThreadStream(input, new GzipDecoder(), offset => new InputLocation("small.gz", offset), chunkSize: 256 * 1024);
        using var copy = new MemoryStream();

        await stream.CopyToAsync(copy, 1000);

        Assert.Equal(await File.ReadAllBytesAsync(folder.File("small.txt")), copy.ToArray());
        Assert.False(stream.StartedThread);
        Assert.Equal(1, stream.ChunksCreated);
        Assert.True(input.Disposed.Task.IsCompleted, "the raw input is released when the stream's end is decoded");
        await stream.DisposeAsync();
    }

    [Fact]
    public async Task DecoderThreadStream_OutputPastTheFirstChunk_StartsTheThreadAndYieldsEveryByte()
    {
        using var folder = new TempDirectory();
        await ExternalTool.RunCheckedAsync("bash", ["-c", "seq 1 200000 | gzip -c > large.gz; seq 1 200000 > large.txt"], folder.Path);
        var stream = new DecoderThreadStream(File.OpenRead(folder.File("large.gz")), new GzipDecoder(),
            offset => new InputLocation("large.gz", offset), chunkSize: 64 * 1024, chunkCount: 2);
        await using (stream)
        {
            using var copy = new MemoryStream();

            await stream.CopyToAsync(copy, 10_000);

            Assert.Equal(await File.ReadAllBytesAsync(folder.File("large.txt")), copy.ToArray());
            Assert.True(stream.StartedThread);
            Assert.Equal(2, stream.ChunksCreated);
        }
    }

    [Theory]
    [InlineData(64 * 1024)] // the whole member lies within the first chunk: decoded without a thread
    [InlineData(4 * 1024)] // past it: found by the thread
    public async Task DecoderThreadStream_DamagedData_YieldsTheBytesBeforeThenNamesTheFileAndCompressedOffset(int chunkSize)
    {
        using var folder = new TempDirectory();
        await ExternalTool.RunCheckedAsync("bash", ["-c", "seq 1 5000 | gzip -c > d.gz; seq 1 5000 > d.txt"], folder.Path);
        byte[] compressed = await File.ReadAllBytesAsync(folder.File("d.gz"));
        byte[] expected = await File.ReadAllBytesAsync(folder.File("d.txt"));
        // The CRC-32 of the member (its last 8 bytes hold CRC and size) no longer matches: detected at the very end.
        compressed[^8] ^= 0x01;
        var stream = new DecoderThreadStream(new MemoryStream(compressed), new GzipDecoder(), offset => new InputLocation("d.gz", offset), chunkSize: chunkSize);
        await using (stream)
        {
            using var copy = new MemoryStream();

            var error = await Assert.ThrowsAsync<ForensicPipe.Core.Errors.ImageFormatException>(() => stream.CopyToAsync(copy, 1000));

            // The bytes of the decoder calls that ended before the error: none when one call decoded the whole member
            // and then met its trailer, all chunks but the failing call's when the chunks are small.
            Assert.True(chunkSize > expected.Length || copy.Length >= expected.Length - 2 * chunkSize, $"{copy.Length} of {expected.Length} bytes before the error");
            Assert.Equal(expected[..(int)copy.Length], copy.ToArray());
            Assert.Contains("d.gz", error.Message, StringComparison.Ordinal);
            Assert.Equal(chunkSize < expected.Length, stream.StartedThread);
            // A second read repeats the failure rather than pretending the stream ended.
            await Assert.ThrowsAsync<ForensicPipe.Core.Errors.ImageFormatException>(async () => await stream.ReadAtLeastAsync(new byte[10], 1));
        }
    }

    [Fact]
    public async Task DecoderThreadStream_DecodeOnReaderThread_YieldsEveryByteWithoutAThread()
    {
        using var folder = new TempDirectory();
        await ExternalTool.RunCheckedAsync("bash", ["-c", "seq 1 200000 | zstd -q -c > large.zst; seq 1 200000 > large.txt"], folder.Path);
        // The switch is process-wide and read when a stream is created: on only for this stream's construction.
        DecoderThreadStream stream;
        DecoderThreadStream.DecodeOnReaderThread = true;
        try
        {
            stream = new DecoderThreadStream(File.OpenRead(folder.File("large.zst")), new ZstdDecoder(),
                offset => new InputLocation("large.zst", offset), chunkSize: 64 * 1024, chunkCount: 2);
        }
        finally
        {
            DecoderThreadStream.DecodeOnReaderThread = false;
        }
        await using (stream)
        {
            using var copy = new MemoryStream();

            await stream.CopyToAsync(copy, 10_000);

            Assert.Equal(await File.ReadAllBytesAsync(folder.File("large.txt")), copy.ToArray());
            Assert.False(stream.StartedThread);
            Assert.Equal(1, stream.ChunksCreated);
        }
    }

    private sealed class TrackingStream(byte[] bytes) : MemoryStream(bytes)
    {
        public TaskCompletionSource<bool> Disposed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override void Dispose(bool disposing)
        {
            Disposed.TrySetResult(true);
            base.Dispose(disposing);
        }
    }
}
