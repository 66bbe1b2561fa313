using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Devices.Restore;
using ForensicPipe.Devices.Tests.TestSupport;

namespace ForensicPipe.Devices.Tests.Restore;

/// <summary>The device sink through whole jobs (raw file source → sinks), on a regular-file target
/// (<c>allowFile</c>) wrapped by <see cref="FaultyBlockTarget"/> where faults are injected.</summary>
public sealed class DeviceSinkTests : IDisposable
{
    private const int SourceSize = 4 << 20;
    private const int TargetSize = 8 << 20;
    private readonly TempDirectory _directory = new();
    private readonly byte[] _source = DeviceJob.RandomBytes(SourceSize, 6);

    public DeviceSinkTests()
    {
        File.WriteAllBytes(_directory.File("in.raw"), _source);
        File.WriteAllBytes(_directory.File("target.img"), new byte[TargetSize]);
    }

    public void Dispose() => _directory.Dispose();

    private string Target => _directory.File("target.img");

    private async Task<(JobResult Result, JsonNode Report, JobRunner Runner)> RunAsync(Func<IBlockTarget, IBlockTarget>? wrap = null,
        bool verify = false, long offset = 0, bool allowFile = true, string? source = null, IReadOnlyList<SinkSpec>? more = null,
        IReadOnlyList<StageSpec>? stages = null)
    {
        var components = new JobComponents().RegisterSink<DeviceSinkSpec>((spec, context, at) =>
            new DeviceSink(spec.Path, DeviceComponents.SinkOptionsOf(spec, context, at), () =>
            {
                IBlockTarget target = BlockTarget.Open(spec.Path, spec.AllowFile);
                return wrap is null ? target : wrap(target);
            }));
        var job = new JobSpec
        {
            Source = new FileSourceSpec { Path = source ?? "in.raw" },
            Stages = stages ?? [],
            Sinks = [new DeviceSinkSpec { Path = Target, Confirm = true, Verify = verify, Offset = offset, AllowFile = allowFile }, .. more ?? []],
            BufferSize = 65536,
        };
        JobLoader.Validate(job, "test");
        var runner = new JobRunner(job, new JobContext(_directory.Path, "test", _directory.File("restore.report.json")), components);
        JobResult result = await runner.RunAsync(default);
        return (result, JsonNode.Parse(await File.ReadAllTextAsync(result.ReportPath))!, runner);
    }

    private static JsonNode DeviceDetails(JsonNode report) =>
        report["sinks"]!.AsArray().First(s => (string?)s!["type"] == "device")!["details"]!;

    private byte[] TargetBytes(long offset, int length) => File.ReadAllBytes(Target).AsSpan((int)offset, length).ToArray();

    [Fact]
    public async Task DeviceSink_Restore_WritesSourceBytesAndKeepsTheRest()
    {
        (JobResult result, JsonNode report, JobRunner runner) = await RunAsync(verify: true);

        Assert.Equal(JobStatus.Succeeded, result.Status);
        Assert.Equal(_source, TargetBytes(0, SourceSize));
        Assert.All(TargetBytes(SourceSize, TargetSize - SourceSize), b => Assert.Equal(0, b));
        JsonNode details = DeviceDetails(report);
        Assert.True((bool)details["complete"]!);
        Assert.Null(details["targetIncomplete"]);
        Assert.Equal(DeviceJob.Sha256(_source), (string?)details["verify"]!["sentDigest"]);
        Assert.Equal(DeviceJob.Sha256(_source), (string?)details["verify"]!["readBackDigest"]);
        Assert.True((bool)details["verify"]!["match"]!);
        Assert.Equal(0, runner.BuffersOutstanding);
    }

    [Fact]
    public async Task DeviceSink_Offset_WritesAtTheOffsetOnly()
    {
        const long offset = 3 * 4096;
        (JobResult result, _, _) = await RunAsync(offset: offset);

        Assert.Equal(JobStatus.Succeeded, result.Status);
        Assert.All(TargetBytes(0, (int)offset), b => Assert.Equal(0, b));
        Assert.Equal(_source, TargetBytes(offset, SourceSize));
        Assert.All(TargetBytes(offset + SourceSize, (int)(TargetSize - SourceSize - offset)), b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task DeviceSink_WriteError_FailsWithOffsetAndTargetIncomplete()
    {
        const long bad = (1 << 20) + 100;
        FaultyBlockTarget? faulty = null;
        (JobResult result, JsonNode report, JobRunner runner) = await RunAsync(inner => faulty = new FaultyBlockTarget(inner) { FailWriteAt = bad });

        Assert.Equal(JobStatus.Failed, result.Status);
        Assert.Contains("EIO", result.Error, StringComparison.Ordinal);
        Assert.Contains("at byte 1048576", result.Error, StringComparison.Ordinal);
        Assert.Contains("incomplete", result.Error, StringComparison.Ordinal);
        JsonNode details = DeviceDetails(report);
        Assert.False((bool)details["complete"]!);
        Assert.Contains("partition byte 1048576", (string?)details["targetIncomplete"], StringComparison.Ordinal);
        Assert.Single(report["incompleteTargets"]!.AsArray());
        Assert.False((bool)report["complete"]!);
        Assert.Equal(_source.AsSpan(0, 1 << 20).ToArray(), TargetBytes(0, 1 << 20));
        Assert.True(faulty!.Disposed);
        Assert.Equal(0, runner.BuffersOutstanding);
    }

    [Fact]
    public async Task DeviceSink_TargetVanishes_FailsWithOffsetAndTargetIncomplete()
    {
        (JobResult result, JsonNode report, JobRunner runner) = await RunAsync(inner => new FaultyBlockTarget(inner) { VanishAfterBytes = 2 << 20 });

        Assert.Equal(JobStatus.Failed, result.Status);
        Assert.Contains("ENODEV", result.Error, StringComparison.Ordinal);
        Assert.Contains("at byte 2097152", result.Error, StringComparison.Ordinal);
        Assert.Contains("partition byte 2097152", (string?)DeviceDetails(report)["targetIncomplete"], StringComparison.Ordinal);
        Assert.Equal(0, runner.BuffersOutstanding);
    }

    [Fact]
    public async Task DeviceSink_VerifyWithCorruptedWrite_MismatchWithBothDigests()
    {
        const long flip = (3 << 20) + 5;
        (JobResult result, JsonNode report, _) = await RunAsync(inner => new FaultyBlockTarget(inner) { CorruptWriteAt = flip }, verify: true);

        Assert.Equal(JobStatus.Mismatch, result.Status);
        JsonNode verify = DeviceDetails(report)["verify"]!;
        Assert.Equal(DeviceJob.Sha256(_source), (string?)verify["sentDigest"]);
        Assert.Equal(DeviceJob.Sha256(TargetBytes(0, SourceSize)), (string?)verify["readBackDigest"]);
        Assert.NotEqual((string?)verify["sentDigest"], (string?)verify["readBackDigest"]);
        Assert.False((bool)verify["match"]!);
        Assert.Contains((string)verify["sentDigest"]!, result.Error, StringComparison.Ordinal);
        Assert.Equal("verification-mismatch", (string?)report["outcome"]);
    }

    [Fact]
    public async Task DeviceSink_VerifyWithCorruptedReadBack_Mismatch()
    {
        (JobResult result, JsonNode report, _) = await RunAsync(inner => new FaultyBlockTarget(inner) { CorruptReadAt = 12345 }, verify: true);

        Assert.Equal(JobStatus.Mismatch, result.Status);
        Assert.Equal(_source, TargetBytes(0, SourceSize));
        JsonNode verify = DeviceDetails(report)["verify"]!;
        Assert.Equal(DeviceJob.Sha256(_source), (string?)verify["sentDigest"]);
        Assert.NotEqual(DeviceJob.Sha256(_source), (string?)verify["readBackDigest"]);
    }

    [Fact]
    public async Task DeviceSink_WithRawFileAndHashes_AllFromOnePass()
    {
        (JobResult result, _, _) = await RunAsync(verify: true,
            more: [new RawFileSinkSpec { Path = "copy.raw" }],
            stages: [new HashStageSpec { Algorithms = ["md5", "sha256"] }]);

        Assert.Equal(JobStatus.Succeeded, result.Status);
        Assert.Equal(_source, File.ReadAllBytes(_directory.File("copy.raw")));
        Assert.Equal(_source, TargetBytes(0, SourceSize));
        Assert.Equal(DeviceJob.Sha256(_source), result.Digests["sha256"]);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(_source)), result.Digests["md5"]);
    }

    [Fact]
    public async Task DeviceSink_RegularFileWithoutAllowFile_RefusedAndNothingWritten() =>
        await AssertRefusedAsync(() => RunAsync(allowFile: false), "not a block device");

    [Fact]
    public async Task DeviceSink_TargetSmallerThanOffsetPlusPartition_RefusedAndNothingWritten() =>
        await AssertRefusedAsync(() => RunAsync(offset: TargetSize - SourceSize + 512), "less than offset");

    [Fact]
    public async Task DeviceSink_MisalignedOffset_RefusedAndNothingWritten() =>
        await AssertRefusedAsync(() => RunAsync(offset: 100), "not a multiple");

    [Fact]
    public async Task DeviceSink_OwnSource_RefusedAndNothingWritten()
    {
        // The same file under another name: the check is by identity, not by spelling.
        File.Copy(Target, _directory.File("target-before.img"));
        await AssertRefusedAsync(() => RunAsync(source: "./sub/../target.img"), "own source", createSub: true);
    }

    private async Task AssertRefusedAsync(Func<Task<(JobResult, JsonNode, JobRunner)>> run, string reason, bool createSub = false)
    {
        if (createSub)
        {
            Directory.CreateDirectory(_directory.File("sub"));
        }
        string before = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Target)));
        JobValidationException refusal = await Assert.ThrowsAsync<JobValidationException>(run);
        Assert.Contains(reason, refusal.Message, StringComparison.Ordinal);
        Assert.Contains("nothing written", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refusal.Message);
        Assert.Equal(before, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Target))));
        Assert.False(File.Exists(_directory.File("restore.report.json")));
    }
}
