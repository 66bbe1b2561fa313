using System.Diagnostics;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using ForensicPipe.Formats.Partclone;
using ForensicPipe.Formats.ImageAccess;

namespace ForensicPipe.Benchmarks;

/// <summary>
/// Random 4 KiB reads through <see cref="IRandomAccessImage.Read"/> on one thread, on a page-cached partclone
/// image of a 2 GiB ext4 partition (~70 % full of random data, CRC-32 groups of 256 blocks), as
/// benchmarks/compare-mount.sh builds it in FPIPE_BENCH_MOUNT_DIR (default /tmp/fpipe-bench-mount; built
/// here through the script when missing). Reads per second = 10^9 / Mean (ns). "whole partition" draws
/// 4 KiB-aligned offsets over the whole partition (absent blocks are filled without I/O); "present blocks"
/// only offsets of blocks the image holds (one pread each). [GlobalSetup] checks the reconstruction's
/// SHA-256 against img.raw and every benchmarked read against img.raw before anything is timed.
/// </summary>
[MemoryDiagnoser]
public class RandomAccessBenchmarks
{
    private const int Reads = 1 << 16;
    private const int BlockSize = 4096;

    private PartcloneRandomAccess? _image;
    private long[] _anyOffsets = [];
    private long[] _presentOffsets = [];
    private readonly byte[] _buffer = new byte[BlockSize];

    [Params(1024)]
    public int IndexSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string directory = Environment.GetEnvironmentVariable("FPIPE_BENCH_MOUNT_DIR") ?? "/tmp/fpipe-bench-mount";
        string image = Path.Combine(directory, "img.pc");
        string raw = Path.Combine(directory, "img.raw");
        if (!File.Exists(image) || !File.Exists(raw))
        {
            string script = Path.Combine(RepositoryRoot(), "benchmarks", "compare-mount.sh");
            using Process make = Process.Start("bash", [script, "--fixture-only", directory])!;
            make.WaitForExit();
            if (make.ExitCode != 0)
            {
                throw new InvalidOperationException($"{script} --fixture-only failed ({make.ExitCode})");
            }
        }
        _image = (PartcloneRandomAccess)RandomAccessImage.OpenAsync(image, new RandomAccessOptions { IndexSize = IndexSize }).AsTask().GetAwaiter().GetResult();

        // The ext4 reconstruction equals the raw partition (mke2fs leaves unused blocks as holes: zeros).
        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            byte[] chunk = new byte[1 << 20];
            for (long offset = 0; offset < _image.Length; offset += chunk.Length)
            {
                sha.AppendData(chunk, 0, _image.Read(offset, chunk));
            }
            using FileStream rawStream = File.OpenRead(raw);
            string expected = Convert.ToHexStringLower(SHA256.HashData(rawStream));
            string actual = Convert.ToHexStringLower(sha.GetHashAndReset());
            if (expected != actual)
            {
                throw new InvalidOperationException($"reconstruction SHA-256 {actual} differs from img.raw {expected}");
            }
        }

        var random = new Random(20240611);
        long blocks = _image.Length / BlockSize;
        _anyOffsets = [.. Enumerable.Range(0, Reads).Select(_ => random.NextInt64(0, blocks) * BlockSize)];
        var present = new List<long>(Reads);
        while (present.Count < Reads)
        {
            long block = random.NextInt64(0, _image.Header.TotalBlocks);
            if (_image.Header.BlockSize == BlockSize && _image.IsBlockPresent(block))
            {
                present.Add(block * BlockSize);
            }
        }
        _presentOffsets = [.. present];

        using var rawFile = File.OpenHandle(raw);
        byte[] expectedBlock = new byte[BlockSize];
        foreach (long offset in _anyOffsets.Concat(_presentOffsets))
        {
            RandomAccess.Read(rawFile, expectedBlock, offset);
            if (_image.Read(offset, _buffer) != BlockSize || !_buffer.AsSpan().SequenceEqual(expectedBlock))
            {
                throw new InvalidOperationException($"read at {offset} differs from img.raw");
            }
        }
        Console.WriteLine($"// index memory {_image.IndexMemoryBytes} bytes (bitmap {_image.BitmapBytes}, rank index {_image.RankIndexBytes})");
    }

    [GlobalCleanup]
    public void Cleanup() => _image?.Dispose();

    [Benchmark(OperationsPerInvoke = Reads, Description = "4 KiB read, whole partition")]
    public int ReadAnywhere()
    {
        int sum = 0;
        foreach (long offset in _anyOffsets)
        {
            sum += _image!.Read(offset, _buffer);
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Reads, Description = "4 KiB read, present blocks")]
    public int ReadPresent()
    {
        int sum = 0;
        foreach (long offset in _presentOffsets)
        {
            sum += _image!.Read(offset, _buffer);
        }
        return sum;
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ForensicPipe.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("ForensicPipe.sln not found");
    }
}
