using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;

namespace ForensicPipe.Devices.Tests.TestSupport;

/// <summary>Runs a whole job (device source → fill → sha256 → raw file, report, mapfile) over an injected device.</summary>
internal sealed class DeviceJob
{
    public required JobResult Result { get; init; }

    public required JobRunner Runner { get; init; }

    public required JsonNode Report { get; init; }

    public JsonNode AfterRun => Report["source"]!["afterRun"]!;

    public static async Task<DeviceJob> RunAsync(TempDirectory directory, IBlockDevice device, DeviceSourceSpec spec,
        string? fill = "deadbeef", int bufferSize = 65536)
    {
        JobComponents components = new JobComponents().RegisterSourceWithContext<DeviceSourceSpec>((s, context) =>
            new DeviceSource(s.Path, DeviceComponents.OptionsOf(s, context), () => device));
        var stages = new List<StageSpec>();
        if (fill is not null)
        {
            stages.Add(new FillStageSpec { Pattern = fill });
        }
        stages.Add(new HashStageSpec { Algorithms = ["sha256"] });
        var job = new JobSpec
        {
            Source = spec,
            Stages = stages,
            Sinks = [new RawFileSinkSpec { Path = "out.raw" }],
            BufferSize = bufferSize,
        };
        JobLoader.Validate(job, "test");
        var runner = new JobRunner(job, new JobContext(directory.Path, "test", directory.File("out.report.json")), components);
        JobResult result = await runner.RunAsync(default);
        return new DeviceJob
        {
            Result = result,
            Runner = runner,
            Report = JsonNode.Parse(await File.ReadAllTextAsync(result.ReportPath))!,
        };
    }

    /// <summary><paramref name="content"/> with the given sectors replaced by 0xdeadbeef anchored at offset 0.</summary>
    public static byte[] WithFill(byte[] content, IEnumerable<long> sectors, int sectorSize, byte[] pattern)
    {
        byte[] expected = (byte[])content.Clone();
        foreach (long sector in sectors)
        {
            for (long offset = sector * sectorSize; offset < (sector + 1) * sectorSize; offset++)
            {
                expected[offset] = pattern[offset % pattern.Length];
            }
        }
        return expected;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
