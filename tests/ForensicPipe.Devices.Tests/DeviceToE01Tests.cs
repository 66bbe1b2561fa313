using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Devices.Tests.TestSupport;

namespace ForensicPipe.Devices.Tests;

/// <summary>A device with injected bad sectors acquired into an E01 set, as <c>fpipe image /dev/X NAME.E01</c>
/// builds the job (no fill stage: the sink stores the unreadable sectors as zeros and lists them in error2),
/// checked by the peers: ewfverify accepts it with our MD5 and SHA-1, ewfinfo lists the ranges, ewfexport gives
/// the device's bytes with zeros in the bad sectors.</summary>
public class DeviceToE01Tests
{
    private const int Sector = 512;

    [Theory]
    [InlineData("fast", 1L << 30)]
    [InlineData("none", 1L << 20)]
    public async Task BadSectors_E01ListsThemInError2AndPeersAcceptTheSet(string compression, long segmentSize)
    {
        using var directory = new TempDirectory();
        const int sectors = 6144;
        byte[] content = DeviceJob.RandomBytes(sectors * Sector, 7);
        long[] bad = [3, 4, 5, 127, 128, 4000, sectors - 1];
        var device = new FaultyBlockDevice(new MemoryBlockDevice(content));
        device.BadSectors.UnionWith(bad);
        JobComponents components = Formats.FormatComponents.Register(new JobComponents()).RegisterSourceWithContext<DeviceSourceSpec>((s, context) =>
            new DeviceSource(s.Path, DeviceComponents.OptionsOf(s, context), () => device));
        var job = new JobSpec
        {
            Source = new DeviceSourceSpec { Path = "memory", Retries = 1 },
            Stages = [new HashStageSpec { Algorithms = ["md5", "sha256"] }],
            Sinks = [new E01SinkSpec { Path = "bad.E01", Compression = compression, SegmentSize = segmentSize }],
            Report = new ReportSpec { Case = new CaseSpec { Number = "DEV-1", Examiner = "Fault Injector" } },
            BufferSize = 65536,
        };
        JobLoader.Validate(job, "test");

        JobResult result = await new JobRunner(job, new JobContext(directory.Path, "test", directory.File("bad.report.json")), components).RunAsync(default);

        Assert.True(result.Status == JobStatus.Succeeded, result.Error);
        byte[] expected = (byte[])content.Clone();
        foreach (long sector in bad)
        {
            expected.AsSpan((int)(sector * Sector), Sector).Clear();
        }
        string md5 = Convert.ToHexStringLower(MD5.HashData(expected));
        Assert.Equal(md5, result.Digests["md5"]);
        JsonNode sink = JsonNode.Parse(File.ReadAllText(result.ReportPath))!["sinks"]![0]!["details"]!;
        Assert.Equal(md5, (string?)sink["md5"]);
        Assert.Equal(4, sink["errorRanges"]!.AsArray().Count);
        Assert.True(segmentSize > 1 << 20 || sink["segments"]!.AsArray().Count >= 3, sink.ToJsonString());

        string verify = ExternalTool.Run("ewfverify", "-q", "-d", "sha1", directory.File("bad.E01"));
        Assert.Contains($"MD5 hash calculated over data:\t\t{md5}", verify);
        Assert.Contains(Convert.ToHexStringLower(SHA1.HashData(expected)), verify);
        Assert.Contains("ewfverify: SUCCESS", verify);
        string info = ExternalTool.Run("ewfinfo", directory.File("bad.E01"));
        Assert.Contains("Case number:\t\tDEV-1", info);
        Assert.Contains($"Number of sectors:\t{sectors}", info);
        Assert.Contains("at sector(s): 3 - 5 number: 3", info);
        Assert.Contains("at sector(s): 127 - 128 number: 2", info);
        Assert.Contains("at sector(s): 4000 - 4000 number: 1", info);
        Assert.Contains($"at sector(s): {sectors - 1} - {sectors - 1} number: 1", info);
        ExternalTool.Run("ewfexport", "-u", "-q", "-f", "raw", "-t", directory.File("exported"), directory.File("bad.E01"));
        Assert.True(expected.AsSpan().SequenceEqual(File.ReadAllBytes(directory.File("exported.raw"))), "ewfexport differs from the device with zeroed bad sectors");
    }
}
