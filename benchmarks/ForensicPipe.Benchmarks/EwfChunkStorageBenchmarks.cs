using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using ForensicPipe.Formats.Ewf;

namespace ForensicPipe.Benchmarks;

/// <summary>
/// The per-chunk costs of the E01 writer on one 32 KiB chunk of random bytes (docs/formats/e01.md, "Speed"): the
/// incompressible-chunk check that now runs first, the deflate at level 1 it saves, and Adler-32 (AVX2 path and
/// the byte-at-a-time definition) that an uncompressed chunk carries.
/// </summary>
[MemoryDiagnoser]
public class EwfChunkStorageBenchmarks
{
    private const int ChunkSize = 32 * 1024;

    private readonly byte[] _chunk = new byte[ChunkSize];
    private readonly MemoryStream _output = new(2 * ChunkSize);
    private readonly ZLibCompressionOptions _fast = new() { CompressionLevel = 1 };

    [GlobalSetup]
    public void Setup() => new Random(20261201).NextBytes(_chunk);

    [Benchmark(Description = "incompressible check")]
    public bool Check() => EwfIncompressibleCheck.LooksIncompressible(_chunk);

    [Benchmark(Baseline = true, Description = "deflate level 1")]
    public long Deflate()
    {
        _output.SetLength(0);
        using (var zlib = new ZLibStream(_output, _fast, leaveOpen: true))
        {
            zlib.Write(_chunk);
        }
        return _output.Length;
    }

    [Benchmark(Description = "Adler-32")]
    public uint Adler32() => EwfAdler32.Compute(_chunk);

    [Benchmark(Description = "Adler-32 byte at a time")]
    public uint Adler32Scalar() => EwfAdler32.ComputeScalar(_chunk);
}
