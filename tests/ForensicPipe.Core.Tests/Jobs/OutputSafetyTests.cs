using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.IO;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Reporting;
using ForensicPipe.Core.Sinks;
using ForensicPipe.Core.Tests.TestSupport;
using ForensicPipe.Core.Verification;

namespace ForensicPipe.Core.Tests.Jobs;

/// <summary>Free space, sidecars and the report: nothing lost, nothing misleading.</summary>
public class OutputSafetyTests
{
    private const long Mebibyte = 1 << 20;
    private const long SixteenTebibytes = 16L << 40;

    /// <summary>A source whose header claims <paramref name="size"/> bytes; it is never read.</summary>
    private sealed class ClaimingSource(long size, long dataBytes) : IExtentSource
    {
        public bool Read { get; private set; }

        public IImageVerifier? Verifier => null;

        public long BytesRead => 0;

        public ValueTask<SourceInfo> OpenAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult(new SourceInfo("claiming", "test", size) { DataBytes = dataBytes });

        public async IAsyncEnumerable<Extent> ReadAsync(BufferPool pool, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Read = true;
            await Task.CompletedTask;
            yield break;
        }

        public JsonObject? DescribeAfterRun() => null;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static JobSpec Job(string output, IReadOnlyList<string> algorithms, bool overwrite, bool sparse = false) => new()
    {
        Source = new FileSourceSpec { Path = "in.bin" },
        Stages = [new HashStageSpec { Algorithms = [.. algorithms] }],
        Sinks = [new RawFileSinkSpec { Path = output, Overwrite = overwrite, Sparse = sparse }],
        BufferSize = 65536,
    };

    [Fact]
    public void FreeSpace_OnA16MiBTmpfs_IsItsSize()
    {
        using var tmpfs = new TmpfsMount(16 * Mebibyte);

        Assert.Equal(16 * Mebibyte, FreeSpace.AvailableBytes(tmpfs.File("not-yet.raw")));
    }

    [Fact]
    public void RawFileSink_PartitionLargerThanFreeSpace_RefusedWithBothSizes()
    {
        using var tmpfs = new TmpfsMount(16 * Mebibyte);
        var sink = new RawFileSink(tmpfs.File("out.raw"));

        var refusal = Assert.Throws<JobValidationException>(() => sink.CheckTarget(new SourceInfo("x", "raw", 17 * Mebibyte)));

        Assert.Contains($"needs {17 * Mebibyte} bytes (the partition size)", refusal.Message);
        Assert.Contains($"has {16 * Mebibyte} bytes free", refusal.Message);
        Assert.Empty(Directory.GetFileSystemEntries(tmpfs.Path));
    }

    [Fact]
    public void RawFileSink_SparseOutput_NeedsOnlyTheDataBytes()
    {
        using var tmpfs = new TmpfsMount(16 * Mebibyte);
        var sink = new RawFileSink(tmpfs.File("out.raw"), sparse: true);

        sink.CheckTarget(new SourceInfo("x", "partclone", SixteenTebibytes) { DataBytes = 2 * Mebibyte });
        var refusal = Assert.Throws<JobValidationException>(() =>
            sink.CheckTarget(new SourceInfo("x", "partclone", SixteenTebibytes) { DataBytes = 20 * Mebibyte }));

        Assert.Contains("the data bytes of a sparse output", refusal.Message);
    }

    [Fact]
    public async Task Run_HeaderClaims16TiB_RefusedBeforeReadingOrCreatingAnything()
    {
        using var tmpfs = new TmpfsMount(16 * Mebibyte);
        var source = new ClaimingSource(SixteenTebibytes, Mebibyte);
        JobComponents components = new JobComponents().RegisterSource<FileSourceSpec>((_, _) => source);
        var runner = new JobRunner(Job("out.raw", ["md5"], overwrite: false), new JobContext(tmpfs.Path, "test", tmpfs.File("r.json")), components);

        var refusal = await Assert.ThrowsAsync<JobValidationException>(() => runner.RunAsync(default));

        Assert.Contains($"needs {SixteenTebibytes} bytes", refusal.Message);
        Assert.False(source.Read);
        Assert.Empty(Directory.GetFileSystemEntries(tmpfs.Path));
    }

    [Theory]
    [InlineData(SixteenTebibytes, 1_200_000, true)]
    [InlineData(SixteenTebibytes, 0, true)]
    [InlineData(4L << 40, 10L << 30, false)]        // a 4 TiB partition with 10 GiB in use
    [InlineData(2L << 40, 1L << 30, true)]          // 2048 times: named, though it may be a fresh file system
    [InlineData(1L << 40, 1, false)]                // not over 1 TiB
    [InlineData(SixteenTebibytes, (SixteenTebibytes / 1000) + 1, false)]
    [InlineData(SixteenTebibytes, SixteenTebibytes / 1000, true)]    // rounded down: just over 1000 times
    public void SizeClaim_FarBeyondTheData_NamedOnlyOverOneTebibyteAndAThousandTimes(long size, long data, bool named)
    {
        string? warning = SizeClaim.Warning(new SourceInfo("x", "partclone", size) { DataBytes = data });

        Assert.Equal(named, warning is not null);
        if (named)
        {
            Assert.Contains($"claims a partition of {size} bytes but the image holds {data} data bytes", warning);
        }
    }

    [Fact]
    public async Task Run_OverwriteWithOtherDigests_NoSidecarOfTheEarlierRunSurvives()
    {
        using var directory = new TempDirectory();
        await File.WriteAllBytesAsync(directory.File("in.bin"), new byte[300_000]);
        var context = new JobContext(directory.Path, "test", directory.File("r.json"));
        await new JobRunner(Job("out.raw", ["md5", "sha1", "sha256"], overwrite: false), context, new JobComponents()).RunAsync(default);
        Assert.True(File.Exists(directory.File("out.raw.sha1")));
        byte[] other = new byte[200_000];
        new Random(3).NextBytes(other);
        await File.WriteAllBytesAsync(directory.File("in.bin"), other);

        JobResult second = await new JobRunner(Job("out.raw", ["md5", "sha256"], overwrite: true), context, new JobComponents()).RunAsync(default);

        Assert.Equal(JobStatus.Succeeded, second.Status);
        Assert.False(File.Exists(directory.File("out.raw.sha1")));
        Assert.Equal($"{ExternalTool.Digest("md5", directory.File("in.bin"))}  out.raw\n", await File.ReadAllTextAsync(directory.File("out.raw.md5")));
        Assert.Equal($"{ExternalTool.Digest("sha256", directory.File("in.bin"))}  out.raw\n", await File.ReadAllTextAsync(directory.File("out.raw.sha256")));
    }

    [Fact]
    public async Task Run_OverwriteThatFails_LeavesNoSidecarOfTheEarlierOutput()
    {
        using var directory = new TempDirectory();
        await File.WriteAllBytesAsync(directory.File("in.bin"), new byte[300_000]);
        var context = new JobContext(directory.Path, "test", directory.File("r.json"));
        await new JobRunner(Job("out.raw", ["md5", "sha1"], overwrite: false), context, new JobComponents()).RunAsync(default);
        byte[] content = new byte[400_000];
        var failing = new ScriptedSource(content, ScriptedSource.DataChunks(content.Length, 65536), throwAfter: 3);
        JobComponents components = new JobComponents().RegisterSource<FileSourceSpec>((_, _) => failing);

        JobResult second = await new JobRunner(Job("out.raw", ["md5"], overwrite: true), context, components).RunAsync(default);

        Assert.Equal(JobStatus.Failed, second.Status);
        Assert.True(File.Exists(directory.File("out.raw.partial")));
        Assert.False(File.Exists(directory.File("out.raw.md5")));
        Assert.False(File.Exists(directory.File("out.raw.sha1")));
    }

    [Fact]
    public void Report_Reserved_PartialSaysRunningAndHoldsTheReservedBlocks()
    {
        using var tmpfs = new TmpfsMount(16 * Mebibyte);
        var report = EvidenceReport.Start(new JsonObject(), "test", DateTimeOffset.UtcNow);
        string path = tmpfs.File("out.raw.report.json");

        long reserved = report.Reserve(path, replaceEarlier: true);

        Assert.Equal(2 * EvidenceReport.ReservedBytes, reserved);
        Assert.False(File.Exists(path));
        JsonNode partial = JsonNode.Parse(File.ReadAllText(path + ".partial"))!;
        Assert.Equal("running", (string?)partial["outcome"]);
        Assert.False((bool)partial["complete"]!);
        Assert.Equal(16 * Mebibyte - reserved, FreeSpace.AvailableBytes(tmpfs.Path));

        (string json, string text) = report.SaveOrFallBack(path);

        Assert.Equal(path, json);
        Assert.True(File.Exists(text));
        Assert.False(File.Exists(path + ".partial"));
        // The reservation is given back once the report is written: what is used is about the two files.
        long used = 16 * Mebibyte - FreeSpace.AvailableBytes(tmpfs.Path)!.Value;
        Assert.InRange(used, new FileInfo(json).Length + new FileInfo(text).Length, 4 * 4096 + new FileInfo(json).Length + new FileInfo(text).Length);
    }

    [Fact]
    public void Report_TargetCannotBeWritten_SavedInTheTemporaryFolderSayingWhy()
    {
        using var directory = new TempDirectory();
        var report = EvidenceReport.Start(new JsonObject(), "test", DateTimeOffset.UtcNow);
        string path = directory.File("gone/out.raw.report.json");

        (string json, string text) = report.SaveOrFallBack(path);

        try
        {
            Assert.StartsWith(Path.GetTempPath(), json);
            JsonNode saved = JsonNode.Parse(File.ReadAllText(json))!;
            Assert.Equal(path, (string?)saved["reportLocation"]!["intended"]);
            Assert.Contains($"could not be written to {path}", (string?)saved["warnings"]![0]);
        }
        finally
        {
            File.Delete(json);
            File.Delete(text);
        }
    }
}
