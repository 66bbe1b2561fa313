using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using ForensicPipe.Formats.Checksums;

namespace ForensicPipe.Benchmarks;

/// <summary>
/// CRC-32 throughput: the dispatching <see cref="Crc32.Update"/> (the widest path this CPU has), the 128-bit
/// PCLMULQDQ path and the slicing-by-8 table. The GB/s column is Length / Mean (10^9 bytes per second).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class Crc32Benchmarks
{
    private byte[] _data = [];

    [Params(64 * 1024, 1024 * 1024)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Length];
        new Random(20240601).NextBytes(_data);

        uint expected = Crc32.UpdateTable(0xFFFFFFFF, _data);
        uint actual = Crc32.Update(0xFFFFFFFF, _data);
        if (actual != expected)
        {
            throw new InvalidOperationException(
                $"Crc32.Update ({Crc32.Implementation}) gave 0x{actual:X8}, the table path 0x{expected:X8}.");
        }

        if (Pclmulqdq.IsSupported && Crc32.UpdatePclmul(0xFFFFFFFF, _data) != expected)
        {
            throw new InvalidOperationException("The 128-bit PCLMULQDQ path disagrees with the table path.");
        }

        Console.WriteLine($"// Crc32.Implementation = {Crc32.Implementation}");
    }

    [Benchmark(Description = "Update (dispatch)")]
    public uint Update() => Crc32.Update(0xFFFFFFFF, _data);

    [Benchmark(Description = "pclmulqdq 128-bit")]
    public uint Pclmul128() => Pclmulqdq.IsSupported
        ? Crc32.UpdatePclmul(0xFFFFFFFF, _data)
        : throw new PlatformNotSupportedException("PCLMULQDQ is not supported on this CPU.");

    [Benchmark(Baseline = true, Description = "table (slicing-by-8)")]
    public uint Table() => Crc32.UpdateTable(0xFFFFFFFF, _data);

    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig() => AddColumn(new ThroughputColumn());
    }

    /// <summary>Decimal GB/s from the <see cref="Length"/> parameter and the mean time per operation.</summary>
    private sealed class ThroughputColumn : IColumn
    {
        public string Id => nameof(ThroughputColumn);

        public string ColumnName => "GB/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Throughput: Length bytes / Mean, in 10^9 bytes per second";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            GetValue(summary, benchmarkCase, summary.Style);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            double? meanNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
            if (meanNanoseconds is not > 0 || benchmarkCase.Parameters[nameof(Length)] is not int length)
            {
                return "?";
            }

            return (length / meanNanoseconds.Value).ToString("F2");
        }

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}
