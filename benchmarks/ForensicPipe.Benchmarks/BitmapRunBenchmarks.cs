using BenchmarkDotNet.Attributes;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Extents;
using ForensicPipe.Formats.Bitmaps;
using ForensicPipe.Formats.ImageAccess;
using ForensicPipe.Formats.Partclone;
using ForensicPipe.Formats.Tests.Partclone;

namespace ForensicPipe.Benchmarks;

/// <summary>
/// The walk over a block bitmap in runs of used and unused blocks, alone and inside the two partclone readers that
/// are built on it. "fragmented": runs of 1 to 32 blocks, alternately used and unused (a worst case: a run every
/// few bits); "long runs": runs of 1 to 65536 blocks (an ordinary file system: a run spans many 64-bit words).
/// <list type="bullet">
/// <item>"walk runs": every run of a 2^24-block bitmap (2 MiB packed).</item>
/// <item>"sequential read": <see cref="PartcloneReader"/> over an in-memory image of 2^17 blocks of 512 bytes (no data
/// checksums; written by the tests' independent writer, <see cref="SyntheticPartcloneImage"/>), every extent released
/// at once.</item>
/// <item>"random 64 KiB read": 4096 reads through <see cref="PartcloneRandomAccess"/> of the same image as a
/// page-cached file under /tmp.</item>
/// </list>
/// [GlobalSetup] checks the run walk against a bit-by-bit walk, and the readers' output against the partition the
/// image was written from, before anything is timed. Min is shown beside Mean: on a shared machine the fastest
/// iteration is the steadier figure.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
public class BitmapRunBenchmarks
{
    private const long WalkBlocks = 1L << 24;
    private const int ImageBlockSize = 512;
    private const long ImageBlocks = 1L << 17;
    private const int RandomReads = 4096;
    private const int RandomReadSize = 64 * 1024;

    private PartcloneBitmap _walkBitmap = null!;
    private byte[] _image = [];
    private byte[] _partition = [];
    private string _imagePath = "";
    private IRandomAccessImage? _randomAccess;
    private long[] _offsets = [];
    private readonly byte[] _readBuffer = new byte[RandomReadSize];
    private BufferPool? _pool;

    [Params("fragmented", "long runs")]
    public string Pattern { get; set; } = "fragmented";

    [GlobalSetup]
    public void Setup()
    {
        int maxRun = Pattern == "fragmented" ? 32 : 65536;
        bool[] walkBits = Runs(WalkBlocks, maxRun, 20260601);
        _walkBitmap = Pack(walkBits);
        long expectedUsed = walkBits.LongCount(bit => bit);
        long expectedRuns = 1 + Enumerable.Range(1, walkBits.Length - 1).LongCount(i => walkBits[i] != walkBits[i - 1]);
        (long runs, long used) = WalkRunsCore();
        if (runs != expectedRuns || used != expectedUsed)
        {
            throw new InvalidOperationException($"walk: {runs} runs / {used} used blocks, expected {expectedRuns} / {expectedUsed}");
        }

        bool[] imageBits = Runs(ImageBlocks, maxRun, 20260602);
        var synthetic = new SyntheticPartcloneImage(ImageBlockSize, ImageBlocks, ImageBlocks * ImageBlockSize, block => imageBits[block], ChecksumMode: 0);
        _image = synthetic.ToArray();
        _partition = synthetic.Reconstruction();
        _pool = new BufferPool();
        byte[] sequential = new byte[_partition.Length];
        ReadSequential(sequential).AsTask().GetAwaiter().GetResult();
        if (!sequential.AsSpan().SequenceEqual(_partition))
        {
            throw new InvalidOperationException("the sequential reconstruction differs from the partition");
        }

        string directory = Path.Combine(Path.GetTempPath(), $"fpipe-bench-bitmap-{Environment.ProcessId}");
        Directory.CreateDirectory(directory);
        _imagePath = Path.Combine(directory, "img.pc");
        File.WriteAllBytes(_imagePath, _image);
        _randomAccess = RandomAccessImage.OpenAsync(_imagePath).AsTask().GetAwaiter().GetResult();
        var random = new Random(20260603);
        _offsets = [.. Enumerable.Range(0, RandomReads).Select(_ => random.NextInt64(0, _partition.Length - RandomReadSize))];
        foreach (long offset in _offsets)
        {
            if (_randomAccess.Read(offset, _readBuffer) != RandomReadSize || !_readBuffer.AsSpan().SequenceEqual(_partition.AsSpan((int)offset, RandomReadSize)))
            {
                throw new InvalidOperationException($"random read at {offset} differs from the partition");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _randomAccess?.Dispose();
        _pool?.Dispose();
        if (_imagePath.Length > 0)
        {
            Directory.Delete(Path.GetDirectoryName(_imagePath)!, recursive: true);
        }
    }

    [Benchmark(Description = "walk runs")]
    public long WalkRuns() => WalkRunsCore().Runs;

    [Benchmark(Description = "sequential read")]
    public ValueTask<long> SequentialRead() => ReadSequential(null);

    [Benchmark(OperationsPerInvoke = RandomReads, Description = "random 64 KiB read")]
    public long RandomRead()
    {
        long sum = 0;
        foreach (long offset in _offsets)
        {
            sum += _randomAccess!.Read(offset, _readBuffer);
        }
        return sum;
    }

    private (long Runs, long Used) WalkRunsCore()
    {
        long runs = 0;
        long used = 0;
        foreach (BitmapRun run in _walkBitmap.Runs())
        {
            if (run.Used)
            {
                used += run.Count;
            }
            runs++;
        }
        return (runs, used);
    }

    private async ValueTask<long> ReadSequential(byte[]? output)
    {
        var reader = new PartcloneReader(new MemoryStream(_image, writable: false), "bench.pc");
        await using (reader.ConfigureAwait(false))
        {
            await reader.OpenAsync(CancellationToken.None).ConfigureAwait(false);
            long bytes = 0;
            await foreach (Extent extent in reader.ReadAsync(_pool!, CancellationToken.None).ConfigureAwait(false))
            {
                if (output is not null && extent.Kind == ExtentKind.Data)
                {
                    extent.Span.CopyTo(output.AsSpan((int)extent.Offset));
                }
                bytes += extent.Length;
                extent.Release();
            }
            return bytes;
        }
    }

    /// <summary>Alternating runs of 1 to <paramref name="maxRun"/> blocks, the first one used.</summary>
    private static bool[] Runs(long length, int maxRun, int seed)
    {
        var random = new Random(seed);
        var bits = new bool[length];
        bool used = true;
        for (long block = 0; block < length;)
        {
            long end = Math.Min(length, block + 1 + random.Next(maxRun));
            bits.AsSpan((int)block, (int)(end - block)).Fill(used);
            block = end;
            used = !used;
        }
        return bits;
    }

    private static PartcloneBitmap Pack(bool[] bits)
    {
        var bitmap = new PartcloneBitmap(bits.Length);
        byte[] packed = PackBytes(bits);
        for (int done = 0; done < packed.Length;)
        {
            Memory<byte> segment = bitmap.NextPackedSegment(packed.Length - done);
            packed.AsSpan(done, segment.Length).CopyTo(segment.Span);
            bitmap.CommitPacked(segment.Length);
            done += segment.Length;
        }
        bitmap.Complete();
        return bitmap;
    }

    private static byte[] PackBytes(bool[] bits)
    {
        byte[] packed = new byte[(bits.Length + 7) / 8];
        for (int i = 0; i < bits.Length; i++)
        {
            if (bits[i])
            {
                packed[i >> 3] |= (byte)(1 << (i & 7));
            }
        }
        return packed;
    }
}
