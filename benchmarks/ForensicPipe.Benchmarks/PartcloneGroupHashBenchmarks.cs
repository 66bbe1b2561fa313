using BenchmarkDotNet.Attributes;
using ForensicPipe.Formats.Partclone;

namespace ForensicPipe.Benchmarks;

/// <summary>
/// One partclone checksum group of Clonezilla's layout (2560 blocks of 4 KiB = 10 MiB) hashed the way the
/// verifier does it (one span per extent piece between group ends) and the way partclone does it (one
/// append per block), for XXH3-128, XXH64 and CRC32. Allocations must be 0 in every case.
/// </summary>
[MemoryDiagnoser]
public class PartcloneGroupHashBenchmarks
{
    private const int BlockSize = 4096;
    private const int Blocks = 2560;

    private readonly byte[] _group = new byte[BlockSize * Blocks];
    private PartcloneGroupHash _hash = new(PartcloneChecksumMode.Xxh3128);

    [Params(PartcloneChecksumMode.Xxh3128, PartcloneChecksumMode.XxHash64, PartcloneChecksumMode.Crc32)]
    public PartcloneChecksumMode Mode { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        new Random(20260401).NextBytes(_group);
        _hash = new PartcloneGroupHash(Mode);
        UInt128 whole = WholeGroup();
        UInt128 perBlock = PerBlock();
        if (whole != perBlock)
        {
            throw new InvalidOperationException($"{Mode}: one span gave {whole:x}, per-block appends {perBlock:x}.");
        }
    }

    [Benchmark(Baseline = true, Description = "one span per group")]
    public UInt128 WholeGroup()
    {
        _hash.Reset();
        _hash.Append(_group);
        return _hash.Current;
    }

    [Benchmark(Description = "one append per 4 KiB block (partclone's way)")]
    public UInt128 PerBlock()
    {
        _hash.Reset();
        for (int offset = 0; offset < _group.Length; offset += BlockSize)
        {
            _hash.Append(_group.AsSpan(offset, BlockSize));
        }
        return _hash.Current;
    }
}
