using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Input;

/// <summary>The decoder thread keeps a fixed number of chunks whatever the size of the input.</summary>
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
