using System.Diagnostics;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Devices.Tests.TestSupport;

namespace ForensicPipe.Devices.Tests;

/// <summary>The device source under injected faults, run as whole jobs: output bytes, report, mapfile, pool.</summary>
public class DeviceSourceFaultTests
{
    private const int Sector = 512;
    private const int Sectors = 2048;
    private static readonly byte[] s_deadBeef = [0xDE, 0xAD, 0xBE, 0xEF];

    private static (long First, long Count)[] Ranges(JsonNode afterRun) =>
        [.. afterRun["badRanges"]!.AsArray().Select(r => ((long)r!["firstSector"]!, (long)r["sectorCount"]!))];

    [Fact]
    public async Task BadSectors_OutputIsTheSourceExceptFilledSectors_EveryRangeInReportAndMapfile()
    {
        using var directory = new TempDirectory();
        byte[] content = DeviceJob.RandomBytes(Sectors * Sector, 1);
        long[] bad = [3, 4, 5, 127, 128, 200, Sectors - 1];
        var device = new FaultyBlockDevice(new MemoryBlockDevice(content));
        device.BadSectors.UnionWith(bad);

        DeviceJob job = await DeviceJob.RunAsync(directory, device,
            new DeviceSourceSpec { Path = "memory", Retries = 2, Mapfile = "out.map" });

        Assert.Equal(JobStatus.Succeeded, job.Result.Status);
        byte[] expected = DeviceJob.WithFill(content, bad, Sector, s_deadBeef);
        byte[] output = await File.ReadAllBytesAsync(directory.File("out.raw"));
        Assert.Equal(expected.Length, output.Length);
        Assert.True(expected.AsSpan().SequenceEqual(output), "output differs from the source outside the filled sectors");
        Assert.Equal(DeviceJob.Sha256(expected), job.Result.Digests["sha256"]);
        Assert.Equal([(3L, 3L), (127L, 2L), (200L, 1L), (Sectors - 1L, 1L)], Ranges(job.AfterRun));
        Assert.Equal(bad.Length, (long)job.AfterRun["badSectors"]!);
        Assert.Equal(bad.Length * Sector, (long)job.Report["stream"]!["unreadableBytes"]!);
        Assert.Equal("deadbeef", (string?)job.Report["stream"]!["fill"]);
        Assert.Contains("EIO", (string?)job.AfterRun["badRanges"]![0]!["error"]);
        // Each bad sector was read once in its chunk's sector-by-sector pass and retried twice.
        Assert.Equal(bad.Length * 2, (long)job.AfterRun["retries"]!);
        // ddrescuelog, the peer tool, lists exactly the bad sectors from our mapfile.
        string listed = ExternalTool.Run("ddrescuelog", "-b", "512", "-l-", directory.File("out.map"));
        Assert.Equal(bad, listed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse));
        Assert.Contains("current status: finished", ExternalTool.Run("ddrescuelog", "-t", directory.File("out.map")));
        Assert.Equal(0, job.Runner.BuffersOutstanding);
        Assert.True(device.Disposed);
    }

    [Fact]
    public async Task TransientErrors_LeaveNoTraceButTheRetryCount()
    {
        using var directory = new TempDirectory();
        byte[] content = DeviceJob.RandomBytes(Sectors * Sector, 2);
        var device = new FaultyBlockDevice(new MemoryBlockDevice(content)).FailTransiently(10, 2).FailTransiently(300, 1);

        DeviceJob job = await DeviceJob.RunAsync(directory, device,
            new DeviceSourceSpec { Path = "memory", Retries = 2, Mapfile = "out.map" });

        Assert.Equal(JobStatus.Succeeded, job.Result.Status);
        Assert.Equal(content, await File.ReadAllBytesAsync(directory.File("out.raw")));
        Assert.Equal(DeviceJob.Sha256(content), job.Result.Digests["sha256"]);
        Assert.Equal(0, (long)job.AfterRun["badSectors"]!);
        Assert.Empty(job.AfterRun["badRanges"]!.AsArray());
        Assert.Equal(0, (long)job.Report["stream"]!["unreadableBytes"]!);
        Assert.Equal(2, (long)job.AfterRun["failedChunks"]!);
        // Sector 10 failed in its chunk read and once more alone, then read on the first retry; sector 300
        // failed only in its chunk read and read at once in the sector-by-sector pass.
        Assert.Equal(1, (long)job.AfterRun["recoveredSectors"]!);
        Assert.Equal(1, (long)job.AfterRun["retries"]!);
        Assert.Equal("", ExternalTool.Run("ddrescuelog", "-b", "512", "-l-", directory.File("out.map")).Trim());
        Assert.Equal(0, job.Runner.BuffersOutstanding);
    }

    [Fact]
    public async Task TransientErrorOutlastingTheRetries_BecomesABadSector()
    {
        using var directory = new TempDirectory();
        byte[] content = DeviceJob.RandomBytes(Sectors * Sector, 3);
        // Fails in the chunk read and three more times: more than one read plus one retry.
        var device = new FaultyBlockDevice(new MemoryBlockDevice(content)).FailTransiently(50, 3);

        DeviceJob job = await DeviceJob.RunAsync(directory, device, new DeviceSourceSpec { Path = "memory", Retries = 1 }, fill: "zero");

        Assert.Equal(JobStatus.Succeeded, job.Result.Status);
        Assert.Equal([(50L, 1L)], Ranges(job.AfterRun));
        Assert.Equal(DeviceJob.WithFill(content, [50], Sector, [0]), await File.ReadAllBytesAsync(directory.File("out.raw")));
    }

    [Theory]
    [InlineData(37, false, false, "end of device at byte 1048576")]
    [InlineData(37, true, false, "refused at byte 1048576: EINVAL")]
    [InlineData(1500, false, false, "end of device at byte 1048576")]
    [InlineData(1500, true, false, "refused at byte 1048576: EINVAL")]
    [InlineData(1500, false, true, "refused at byte 1048576: EINVAL")]
    public async Task FewerReportedSectorsThanReal_ProbingReadsTheRestAndCountsThem(int unreported, bool refusePastEnd, bool refuseCrossingEnd,
        string probeEnd)
    {
        using var directory = new TempDirectory();
        byte[] content = DeviceJob.RandomBytes(Sectors * Sector, 4);
        var device = new FaultyBlockDevice(new MemoryBlockDevice(content))
        {
            ReportedSectors = Sectors - unreported,
            RefusePastEnd = refusePastEnd,
            RefuseReadsCrossingEnd = refuseCrossingEnd,
        };

        DeviceJob job = await DeviceJob.RunAsync(directory, device, new DeviceSourceSpec { Path = "memory" });

        Assert.Equal(JobStatus.Succeeded, job.Result.Status);
        Assert.Equal(content, await File.ReadAllBytesAsync(directory.File("out.raw")));
        Assert.Equal((Sectors - (long)unreported) * Sector, (long)job.Report["source"]!["size"]!);
        Assert.Equal(unreported, (long)job.AfterRun["unreportedSectors"]!);
        Assert.Equal((long)content.Length, (long)job.AfterRun["probedSize"]!);
        Assert.StartsWith(probeEnd, (string?)job.AfterRun["probe"]);
        Assert.Equal(0, job.Runner.BuffersOutstanding);
        // Whole 64 KiB buffers past the reported size, then at most one buffer's worth of single sectors
        // (128) to find the end; probing sector by sector from the reported size would take unreported + 1.
        const int sectorsPerBuffer = 65536 / Sector;
        int reportedReads = (Sectors - unreported + sectorsPerBuffer - 1) / sectorsPerBuffer;
        Assert.InRange(device.Reads, 1, reportedReads + (unreported / sectorsPerBuffer) + 1 + sectorsPerBuffer + 1);
    }

    [Fact]
    public async Task ReportedSizeLargerThanTheDevice_EndsAtTheRealEndAndSaysSo()
    {
        using var directory = new TempDirectory();
        byte[] content = DeviceJob.RandomBytes(Sectors * Sector, 13);
        var device = new FaultyBlockDevice(new MemoryBlockDevice(content));

        DeviceJob job = await DeviceJob.RunAsync(directory, device, new DeviceSourceSpec { Path = "memory", ReportedSize = 2L * content.Length });

        Assert.Equal(JobStatus.Succeeded, job.Result.Status);
        Assert.Equal(content, await File.ReadAllBytesAsync(directory.File("out.raw")));
        Assert.True((bool)job.AfterRun["endedBeforeReportedSize"]!);
        Assert.Equal($"not probed: the device ended at byte {content.Length}, before the reported size", (string?)job.AfterRun["probe"]);
        Assert.Equal("reportedSize option", (string?)job.Report["source"]!["details"]!["reportedSizeFrom"]);
    }

    [Fact]
    public async Task ProbeOff_StopsAtTheReportedSize()
    {
        using var directory = new TempDirectory();
        byte[] content = DeviceJob.RandomBytes(Sectors * Sector, 5);
        var device = new FaultyBlockDevice(new MemoryBlockDevice(content)) { ReportedSectors = 1000 };

        DeviceJob job = await DeviceJob.RunAsync(directory, device, new DeviceSourceSpec { Path = "memory", Probe = false });

        Assert.Equal(content.AsSpan(0, 1000 * Sector).ToArray(), await File.ReadAllBytesAsync(directory.File("out.raw")));
        Assert.Equal(0, (long)job.AfterRun["unreportedSectors"]!);
    }

    [Fact]
    public async Task ShortReads_NeverShiftData()
    {
        using var directory = new TempDirectory();
        byte[] content = DeviceJob.RandomBytes(Sectors * Sector, 6);
        var device = new FaultyBlockDevice(new MemoryBlockDevice(content)) { MaxBytesPerRead = 3000 };
        device.BadSectors.Add(700);

        DeviceJob job = await DeviceJob.RunAsync(directory, device, new DeviceSourceSpec { Path = "memory" });

        Assert.Equal(JobStatus.Succeeded, job.Result.Status);
        Assert.Equal(DeviceJob.WithFill(content, [700], Sector, s_deadBeef), await File.ReadAllBytesAsync(directory.File("out.raw")));
        Assert.Equal([(700L, 1L)], Ranges(job.AfterRun));
    }

    [Fact]
    public async Task FourKiBSectors_BadSectorIsFilledWhole()
    {
        using var directory = new TempDirectory();
        byte[] content = DeviceJob.RandomBytes(256 * 4096, 7);
        var device = new FaultyBlockDevice(new MemoryBlockDevice(content, 4096));
        device.BadSectors.Add(17);

        DeviceJob job = await DeviceJob.RunAsync(directory, device, new DeviceSourceSpec { Path = "memory", Mapfile = "out.map" });

        Assert.Equal(DeviceJob.WithFill(content, [17], 4096, s_deadBeef), await File.ReadAllBytesAsync(directory.File("out.raw")));
        Assert.Equal(17 * 4096L, (long)job.AfterRun["badRanges"]![0]!["offset"]!);
        Assert.Equal("17", ExternalTool.Run("ddrescuelog", "-b", "4096", "-l-", directory.File("out.map")).Trim());
    }

    [Fact]
    public async Task MoreBadSectorsThanTheLimit_JobFailsCleanlyOutputLeftPartialReportSaysWhy()
    {
        using var directory = new TempDirectory();
        byte[] content = DeviceJob.RandomBytes(Sectors * Sector, 8);
        var device = new FaultyBlockDevice(new MemoryBlockDevice(content));
        device.BadSectors.UnionWith([100, 101, 102, 103, 1500]);

        DeviceJob job = await DeviceJob.RunAsync(directory, device,
            new DeviceSourceSpec { Path = "memory", MaxBadSectors = 3, Mapfile = "out.map" });

        Assert.Equal(JobStatus.Failed, job.Result.Status);
        Assert.Contains("4 unreadable sectors, more than the limit of 3", job.Result.Error);
        Assert.Contains($"at byte {103 * Sector}", job.Result.Error);
        Assert.False(File.Exists(directory.File("out.raw")));
        Assert.True(File.Exists(directory.File("out.raw.partial")));
        Assert.Equal("failed", (string?)job.Report["outcome"]);
        Assert.Equal(4, (long)job.AfterRun["badSectors"]!);
        // The mapfile records the run as unfinished: bad sectors so far, the rest non-tried.
        string status = ExternalTool.Run("ddrescuelog", "-t", directory.File("out.map"));
        Assert.Contains("non-tried", status);
        Assert.DoesNotContain("current status: finished", status);
        Assert.Equal("100\n101\n102\n103", ExternalTool.Run("ddrescuelog", "-b", "512", "-l-", directory.File("out.map")).Trim());
        Assert.Equal(0, job.Runner.BuffersOutstanding);
    }

    [Fact]
    public async Task DeviceVanishesMidRun_ClearErrorQuicklyNoCrawl()
    {
        using var directory = new TempDirectory();
        byte[] content = DeviceJob.RandomBytes(Sectors * Sector, 9);
        var device = new FaultyBlockDevice(new MemoryBlockDevice(content)) { VanishAfterBytes = 256 * 1024 };
        var clock = Stopwatch.StartNew();

        DeviceJob job = await DeviceJob.RunAsync(directory, device, new DeviceSourceSpec { Path = "memory" });

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "a vanished device must end the job, not hang");
        Assert.Equal(JobStatus.Failed, job.Result.Status);
        Assert.Equal($"memory: the device is gone: EIO (Input/output error) and its size can no longer be read at byte {256 * 1024}", job.Result.Error);
        // One failed chunk read, then the size check: no sector-by-sector pass over the rest.
        Assert.Equal(1, device.FailedReads);
        Assert.True(File.Exists(directory.File("out.raw.partial")));
        Assert.Equal(0, job.Runner.BuffersOutstanding);
    }

    [Fact]
    public async Task EioEverywhereWhileTheSizeStays_BoundedRescueEveryRestSectorReported()
    {
        using var directory = new TempDirectory();
        byte[] content = DeviceJob.RandomBytes(Sectors * Sector, 10);
        var device = new FaultyBlockDevice(new MemoryBlockDevice(content)) { VanishAfterBytes = 512 * 1024, SizeSurvivesVanishing = true };

        DeviceJob job = await DeviceJob.RunAsync(directory, device, new DeviceSourceSpec { Path = "memory", Retries = 1 }, fill: "zero");

        Assert.Equal(JobStatus.Succeeded, job.Result.Status);
        Assert.Equal([(1024L, 1024L)], Ranges(job.AfterRun));
        byte[] expected = content.AsSpan(0, 512 * 1024).ToArray().Concat(new byte[512 * 1024]).ToArray();
        Assert.Equal(expected, await File.ReadAllBytesAsync(directory.File("out.raw")));
        // Bounded: 8 failed chunk reads of 128 sectors, 2 reads per sector; the probe: one failed buffer, then
        // its first sector twice.
        Assert.Equal(8 + 1024 * 2 + 1 + 2, device.FailedReads);
        Assert.StartsWith("refused at byte 1048576: EIO", (string?)job.AfterRun["probe"]);
        Assert.Equal(0, job.Runner.BuffersOutstanding);
    }

    [Fact]
    public async Task ReadHungInTheDevice_CancelledJobEndsAndTheReportSaysTheReadWasAbandoned()
    {
        using var directory = new TempDirectory();
        byte[] content = DeviceJob.RandomBytes(Sectors * Sector, 12);
        var device = new FaultyBlockDevice(new MemoryBlockDevice(content)) { HangAtOffset = 256 * 1024 };
        JobComponents components = new JobComponents().RegisterSourceWithContext<DeviceSourceSpec>((s, context) =>
            new DeviceSource(s.Path, DeviceComponents.OptionsOf(s, context), () => device));
        var job = new JobSpec
        {
            Source = new DeviceSourceSpec { Path = "memory" },
            Sinks = [new RawFileSinkSpec { Path = "out.raw" }],
            BufferSize = 65536,
        };
        var runner = new JobRunner(job, new JobContext(directory.Path, "test", directory.File("out.report.json")), components);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var clock = Stopwatch.StartNew();

        JobResult result = await runner.RunAsync(cancellation.Token);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "a hung read must not hold the job");
        Assert.Equal(JobStatus.Cancelled, result.Status);
        JsonNode report = JsonNode.Parse(await File.ReadAllTextAsync(result.ReportPath))!;
        Assert.NotNull(report["source"]!["readAbandoned"]);
        Assert.Equal(256 * 1024L, (long)report["source"]!["bytesRead"]!);
        Assert.True(File.Exists(directory.File("out.raw.partial")));
        device.Gate.Set();
    }

    [Fact]
    public async Task EioEverywhereWithALimit_StopsAtTheLimit()
    {
        using var directory = new TempDirectory();
        byte[] content = DeviceJob.RandomBytes(Sectors * Sector, 11);
        var device = new FaultyBlockDevice(new MemoryBlockDevice(content)) { VanishAfterBytes = 0, SizeSurvivesVanishing = true };

        DeviceJob job = await DeviceJob.RunAsync(directory, device, new DeviceSourceSpec { Path = "memory", Retries = 0, MaxBadSectors = 10 });

        Assert.Equal(JobStatus.Failed, job.Result.Status);
        Assert.Contains("11 unreadable sectors, more than the limit of 10", job.Result.Error);
        Assert.Equal(1 + 11, device.FailedReads);
    }
}
