using BenchmarkDotNet.Attributes;
using ForensicPipe.Formats.Checksums;
using PackageCrc32 = System.IO.Hashing.Crc32;

namespace ForensicPipe.Benchmarks;

/// <summary>
/// Our CRC-32 (<see cref="Crc32.Update"/>, the widest path this CPU has) against System.IO.Hashing's
/// <see cref="PackageCrc32"/>, at the sizes partclone checks (a 4 KiB block followed by its 4-byte CRC, the
/// default of one checksum per block; 16 KiB groups of four blocks) and at 1 MiB (a pipeline buffer).
/// </summary>
/// <remarks>
/// Partclone's CRC is the raw register, seeded with 0xFFFFFFFF and never inverted, carried on from one
/// call to the next when a block is split across buffers (docs/formats/partclone.md). The package only
/// computes the standard CRC (seed 0xFFFFFFFF, inverted): from the seed that is <c>~HashToUInt32</c>; from
/// any other register the package needs the zlib <c>crc32_combine</c> step, whose cost is measured in
/// <see cref="PackageContinued"/>.
/// </remarks>
[MemoryDiagnoser]
public class Crc32PackageBenchmarks
{
    private const uint Seed = 0xFFFFFFFF;

    /// <summary>An arbitrary register, as left by the first part of a block split across buffers.</summary>
    private const uint Continued = 0x1234_5678;

    private byte[] _data = [];

    [Params(4096, 16 * 1024, 1024 * 1024)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Length];
        new Random(20240601).NextBytes(_data);
        if (Ours() != Package() || OursContinued() != PackageContinued())
        {
            throw new InvalidOperationException($"Crc32.Update ({Crc32.Implementation}) and System.IO.Hashing disagree at {Length} bytes.");
        }
        Console.WriteLine($"// Crc32.Implementation = {Crc32.Implementation}");
    }

    [Benchmark(Baseline = true, Description = "ours, from the seed")]
    public uint Ours() => Crc32.Update(Seed, _data);

    [Benchmark(Description = "System.IO.Hashing, from the seed")]
    public uint Package() => ~PackageCrc32.HashToUInt32(_data);

    [Benchmark(Description = "ours, continued register")]
    public uint OursContinued() => Crc32.Update(Continued, _data);

    [Benchmark(Description = "System.IO.Hashing + combine, continued register")]
    public uint PackageContinued() =>
        ~PackageCrc32.HashToUInt32(_data) ^ Crc32Combine.ShiftZeros(Continued ^ Seed, _data.Length);
}
