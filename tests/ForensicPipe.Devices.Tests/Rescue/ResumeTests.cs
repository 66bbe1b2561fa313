using System.Text.Json.Nodes;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Devices.Rescue;
using ForensicPipe.Devices.Tests.TestSupport;

namespace ForensicPipe.Devices.Tests.Rescue;

/// <summary>Resuming an acquisition in process, through JobRunner and DeviceSource over injected faults.</summary>
public class ResumeTests
{
    private const int Sector = 512;
    private const int Sectors = 2048;
    private const int BufferSize = 65536;
    private static readonly long[] s_badSectors = [100, 101, 102, 103];

    private static JobRunner Runner(TempDirectory directory, IBlockDevice device, DeviceSourceSpec spec)
    {
        JobComponents components = new JobComponents().RegisterSourceWithContext<DeviceSourceSpec>((s, context) =>
            new DeviceSource(s.Path, DeviceComponents.OptionsOf(s, context), () => device));
        var job = new JobSpec
        {
            Source = spec,
            Stages = [new FillStageSpec { Pattern = "deadbeef" }, new HashStageSpec { Algorithms = ["sha256"] }],
            Sinks = [new RawFileSinkSpec { Path = "out.raw" }],
            BufferSize = BufferSize,
        };
        JobLoader.Validate(job, "test");
        return new JobRunner(job, new JobContext(directory.Path, "test", directory.File("out.report.json")), components);
    }

    /// <summary>A first session over a device with bad sectors 100-103 that hangs at 600 KiB, cancelled once the
    /// output holds more than 300 KiB: the mapfile then records the bad area and a finished part.</summary>
    private static async Task<JobResult> InterruptedFirstSessionAsync(TempDirectory directory, byte[] content)
    {
        var device = new FaultyBlockDevice(new MemoryBlockDevice(content)) { HangAtOffset = 600 * 1024 };
        device.BadSectors.UnionWith(s_badSectors);
        JobRunner runner = Runner(directory, device, new DeviceSourceSpec { Path = "memory", Mapfile = "out.map", Resume = true });
        using var cancellation = new CancellationTokenSource();
        Task<JobResult> run = runner.RunAsync(cancellation.Token);
        string partial = directory.File("out.raw.partial");
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (!run.IsCompleted && DateTime.UtcNow < deadline && !(File.Exists(partial) && new FileInfo(partial).Length > 300 * 1024))
        {
            await Task.Delay(10);
        }
        await cancellation.CancelAsync();
        JobResult result = await run;
        device.Gate.Set();
        return result;
    }

    [Fact]
    public async Task Resume_BadAreaWhoseFaultIsGone_RetryBadRecoversItAndTheDigestIsTheSources()
    {
        using var directory = new TempDirectory();
        byte[] content = DeviceJob.RandomBytes(Sectors * Sector, 21);
        JobResult first = await InterruptedFirstSessionAsync(directory, content);
        Assert.Equal(JobStatus.Cancelled, first.Status);
        Assert.False(File.Exists(directory.File("out.raw")));
        ParsedMapfile before = DdrescueMapfile.Parse(directory.File("out.map"));
        Assert.Contains(new MapfileArea(100 * Sector, 4 * Sector, DdrescueMapfile.BadSector), before.Map.Areas);
        Assert.Contains(before.Map.Areas, area => area.Status == DdrescueMapfile.NonTried);

        var healthy = new FaultyBlockDevice(new MemoryBlockDevice(content));
        JobRunner runner = Runner(directory, healthy, new DeviceSourceSpec { Path = "memory", Mapfile = "out.map", Resume = true, RetryBad = true });
        JobResult second = await runner.RunAsync(default);

        Assert.Equal(JobStatus.Succeeded, second.Status);
        Assert.Equal(content, await File.ReadAllBytesAsync(directory.File("out.raw")));
        Assert.Equal(DeviceJob.Sha256(content), second.Digests["sha256"]);
        JsonNode afterRun = second.Report.Root["source"]!["afterRun"]!;
        Assert.Equal(0, (long)afterRun["badSectors"]!);
        Assert.Equal(4 * Sector, (long)afterRun["resume"]!["badBytesAtStart"]!);
        Assert.True((bool)afterRun["resume"]!["resumed"]!);
        long reRead = (long)afterRun["resume"]!["bytesReReadFromOutput"]!;
        Assert.True(reRead > 300 * 1024 - BufferSize, $"only {reRead} bytes re-read from the output");
        // Only what the first session had not finished was read from the device.
        Assert.Equal(content.Length - reRead, (long)afterRun["sessions"]![1]!["bytesRead"]!);
        JsonArray sessions = afterRun["sessions"]!.AsArray();
        Assert.Equal(2, sessions.Count);
        Assert.StartsWith("stopped", (string?)sessions[0]!["outcome"]);
        Assert.Equal("read to the end", (string?)sessions[1]!["outcome"]);
        Assert.Equal(reRead, (long)sessions[1]!["resumedFrom"]!);
        Assert.Contains("current status: finished", ExternalTool.Run("ddrescuelog", "-t", directory.File("out.map")));
        Assert.Equal("", ExternalTool.Run("ddrescuelog", "-b", "512", "-l-", directory.File("out.map")).Trim());
        Assert.Equal(0, runner.BuffersOutstanding);
    }

    [Fact]
    public async Task Resume_WithoutRetryBad_BadAreaIsNotReadAgainAndStaysFilledAndListed()
    {
        using var directory = new TempDirectory();
        byte[] content = DeviceJob.RandomBytes(Sectors * Sector, 22);
        await InterruptedFirstSessionAsync(directory, content);

        var stillBad = new FaultyBlockDevice(new MemoryBlockDevice(content));
        stillBad.BadSectors.UnionWith(s_badSectors);
        JobResult second = await Runner(directory, stillBad, new DeviceSourceSpec { Path = "memory", Mapfile = "out.map", Resume = true }).RunAsync(default);

        Assert.Equal(JobStatus.Succeeded, second.Status);
        Assert.Equal(0, stillBad.FailedReads);
        byte[] expected = DeviceJob.WithFill(content, s_badSectors, Sector, [0xDE, 0xAD, 0xBE, 0xEF]);
        Assert.Equal(expected, await File.ReadAllBytesAsync(directory.File("out.raw")));
        Assert.Equal(DeviceJob.Sha256(expected), second.Digests["sha256"]);
        JsonNode range = second.Report.Root["source"]!["afterRun"]!["badRanges"]![0]!;
        Assert.Equal(100, (long)range["firstSector"]!);
        Assert.Equal(4, (long)range["sectorCount"]!);
        Assert.Contains("earlier session", (string?)range["error"]);
        Assert.Equal(string.Join('\n', s_badSectors), ExternalTool.Run("ddrescuelog", "-b", "512", "-l-", directory.File("out.map")).Trim());
    }

    [Fact]
    public async Task Resume_MapfileOfAnotherSource_RefusedBeforeAnythingIsReadOrWritten()
    {
        using var directory = new TempDirectory();
        byte[] content = DeviceJob.RandomBytes(Sectors * Sector, 23);
        await InterruptedFirstSessionAsync(directory, content);
        string mapfile = await File.ReadAllTextAsync(directory.File("out.map"));
        long partialLength = new FileInfo(directory.File("out.raw.partial")).Length;

        var larger = new FaultyBlockDevice(new MemoryBlockDevice(DeviceJob.RandomBytes(2 * Sectors * Sector, 24)));
        JobValidationException refusal = await Assert.ThrowsAsync<JobValidationException>(() =>
            Runner(directory, larger, new DeviceSourceSpec { Path = "memory", Mapfile = "out.map", Resume = true }).RunAsync(default));

        Assert.Contains("belongs to another acquisition", refusal.Message);
        Assert.Contains($"{content.Length} bytes", refusal.Message);
        Assert.Equal(0, larger.Reads);
        Assert.Equal(mapfile, await File.ReadAllTextAsync(directory.File("out.map")));
        Assert.Equal(partialLength, new FileInfo(directory.File("out.raw.partial")).Length);
    }

    [Fact]
    public async Task Resume_MapfileWrittenByDdrescue_RefusedForWantOfAnIdentity()
    {
        using var directory = new TempDirectory();
        byte[] content = DeviceJob.RandomBytes(Sectors * Sector, 25);
        await File.WriteAllBytesAsync(directory.File("disk.img"), content);
        ExternalTool.Run("ddrescue", "-q", directory.File("disk.img"), directory.File("out.raw.partial"), directory.File("out.map"));

        var device = new FaultyBlockDevice(new MemoryBlockDevice(content));
        JobValidationException refusal = await Assert.ThrowsAsync<JobValidationException>(() =>
            Runner(directory, device, new DeviceSourceSpec { Path = "memory", Mapfile = "out.map", Resume = true }).RunAsync(default));

        Assert.Contains("does not say which source and output it belongs to", refusal.Message);
        Assert.Equal(0, device.Reads);
    }

    [Fact]
    public async Task Resume_NoMapfileYet_StartsFromTheBeginningAndSaysSo()
    {
        using var directory = new TempDirectory();
        byte[] content = DeviceJob.RandomBytes(Sectors * Sector, 26);

        JobResult result = await Runner(directory, new MemoryBlockDevice(content),
            new DeviceSourceSpec { Path = "memory", Mapfile = "out.map", Resume = true }).RunAsync(default);

        Assert.Equal(JobStatus.Succeeded, result.Status);
        Assert.Equal(content, await File.ReadAllBytesAsync(directory.File("out.raw")));
        Assert.Contains("nothing to resume", (string?)result.Report.Root["source"]!["afterRun"]!["resume"]!["note"]);
    }
}
