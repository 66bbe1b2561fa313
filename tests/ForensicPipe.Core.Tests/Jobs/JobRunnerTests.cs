using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Stages.Hashing;
using ForensicPipe.Core.Tests.TestSupport;

namespace ForensicPipe.Core.Tests.Jobs;

public class JobRunnerTests
{
    private static JobSpec ImageJob(string source, string output, bool overwrite = false) => new()
    {
        Source = new FileSourceSpec { Path = source },
        Stages = [new HashStageSpec { Algorithms = ["md5", "sha1", "sha256", "sha512"], Window = 100_000 }],
        Sinks = [new RawFileSinkSpec { Path = output, Overwrite = overwrite }, new NullSinkSpec()],
        Report = new ReportSpec { Case = new CaseSpec { Number = "42", Examiner = "tester" } },
        BufferSize = 65536,
    };

    private static JobContext Context(TempDirectory directory) => new(directory.Path, "test", directory.File("default.report.json"));

    [Fact]
    public async Task Run_ImageJob_CopiesRenamesWritesReportAndCheckableSidecars()
    {
        using var directory = new TempDirectory();
        string input = directory.File("in.bin");
        var content = new byte[1_000_003];
        new Random(11).NextBytes(content);
        await File.WriteAllBytesAsync(input, content);
        var runner = new JobRunner(ImageJob("in.bin", "out.raw"), Context(directory), new JobComponents());

        JobResult result = await runner.RunAsync(default);

        Assert.Equal(JobStatus.Succeeded, result.Status);
        Assert.Equal(content, await File.ReadAllBytesAsync(directory.File("out.raw")));
        Assert.False(File.Exists(directory.File("out.raw.partial")));
        Assert.Equal(directory.File("out.raw.report.json"), result.ReportPath);
        foreach (string algorithm in new[] { "md5", "sha1", "sha256", "sha512" })
        {
            Assert.Equal($"{ExternalTool.Digest(algorithm, input)}  out.raw\n", await File.ReadAllTextAsync(directory.File($"out.raw.{algorithm}")));
            Assert.Equal(ExternalTool.Digest(algorithm, input), result.Digests[algorithm]);
            await ExternalTool.RunCheckedAsync($"{algorithm}sum", ["-c", $"out.raw.{algorithm}"], directory.Path);
        }
        JsonNode report = JsonNode.Parse(await File.ReadAllTextAsync(result.ReportPath))!;
        Assert.Equal("succeeded", (string?)report["outcome"]);
        Assert.True((bool?)report["complete"]);
        Assert.Equal(1_000_003L, (long?)report["source"]!["size"]);
        Assert.Equal(1_000_003L, (long?)report["source"]!["bytesRead"]);
        Assert.Equal("42", (string?)report["case"]!["number"]);
        Assert.Equal(11, report["hashes"]![0]!["windows"]!.AsArray().Count);
        Assert.Equal("file", (string?)report["job"]!["source"]!["type"]);
        Assert.NotNull(report["startedUtc"]);
        Assert.NotNull(report["host"]!["name"]);
        Assert.True(File.Exists(result.TextReportPath));
        Assert.Contains("sha256", await File.ReadAllTextAsync(result.TextReportPath));
        Assert.Equal(0, runner.BuffersOutstanding);
    }

    [Fact]
    public async Task Run_ExistingOutputWithoutOverwrite_RefusesBeforeAnythingRuns()
    {
        using var directory = new TempDirectory();
        await File.WriteAllTextAsync(directory.File("in.bin"), "evidence");
        await File.WriteAllTextAsync(directory.File("out.raw"), "earlier copy");

        var runner = new JobRunner(ImageJob("in.bin", "out.raw"), Context(directory), new JobComponents());
        JobValidationException error = await Assert.ThrowsAsync<JobValidationException>(() => runner.RunAsync(default));

        Assert.Contains("the output exists", error.Message);
        Assert.Equal("earlier copy", await File.ReadAllTextAsync(directory.File("out.raw")));
        Assert.False(File.Exists(directory.File("out.raw.report.json")));
        Assert.False(File.Exists(directory.File("out.raw.partial")));
    }

    [Fact]
    public async Task Run_ExistingReportWithoutOverwrite_KeepsItAndWritesATimeStampedOne()
    {
        using var directory = new TempDirectory();
        await File.WriteAllTextAsync(directory.File("in.bin"), "evidence");
        await File.WriteAllTextAsync(directory.File("out.raw.report.json"), "{}");

        JobResult result = await new JobRunner(ImageJob("in.bin", "out.raw"), Context(directory), new JobComponents()).RunAsync(default);

        Assert.Equal(JobStatus.Succeeded, result.Status);
        Assert.Equal("{}", await File.ReadAllTextAsync(directory.File("out.raw.report.json")));
        Assert.Matches(@"out\.raw\.\d{8}T\d{6}Z\.report\.json$", result.ReportPath);
        Assert.Equal("succeeded", (string?)JsonNode.Parse(await File.ReadAllTextAsync(result.ReportPath))!["outcome"]);
    }

    [Fact]
    public async Task Run_ReportOverwriteTrue_ReplacesAnExistingReportOfANullSinkJob()
    {
        using var directory = new TempDirectory();
        await File.WriteAllTextAsync(directory.File("in.bin"), "evidence");
        await File.WriteAllTextAsync(directory.File("hash.report.json"), "{}");
        JobSpec Job(bool overwrite) => new()
        {
            Source = new FileSourceSpec { Path = "in.bin" },
            Stages = [new HashStageSpec { Algorithms = ["sha256"] }],
            Sinks = [new NullSinkSpec()],
            Report = new ReportSpec { Path = "hash.report.json", Overwrite = overwrite },
        };

        JobResult kept = await new JobRunner(Job(false), Context(directory), new JobComponents()).RunAsync(default);
        Assert.NotEqual(directory.File("hash.report.json"), kept.ReportPath);
        Assert.Equal("{}", await File.ReadAllTextAsync(directory.File("hash.report.json")));
        JobResult result = await new JobRunner(Job(true), Context(directory), new JobComponents()).RunAsync(default);

        Assert.Equal(JobStatus.Succeeded, result.Status);
        Assert.Equal(directory.File("hash.report.json"), result.ReportPath);
        Assert.Equal("succeeded", (string?)JsonNode.Parse(await File.ReadAllTextAsync(directory.File("hash.report.json")))!["outcome"]);
    }

    [Fact]
    public async Task Run_OverwriteTrue_ReplacesOutput()
    {
        using var directory = new TempDirectory();
        await File.WriteAllTextAsync(directory.File("in.bin"), "new evidence");
        await File.WriteAllTextAsync(directory.File("out.raw"), "earlier copy, longer than the new one");

        JobResult result = await new JobRunner(ImageJob("in.bin", "out.raw", overwrite: true), Context(directory), new JobComponents()).RunAsync(default);

        Assert.Equal(JobStatus.Succeeded, result.Status);
        Assert.Equal("new evidence", await File.ReadAllTextAsync(directory.File("out.raw")));
    }

    [Fact]
    public async Task Run_MissingSource_FailsWithOneLineAndNoOutput()
    {
        using var directory = new TempDirectory();

        JobResult result = await new JobRunner(ImageJob("missing.bin", "out.raw"), Context(directory), new JobComponents()).RunAsync(default);

        Assert.Equal(JobStatus.Failed, result.Status);
        Assert.Contains("missing.bin: cannot open the source", result.Error);
        Assert.DoesNotContain("\n", result.Error!);
        Assert.False(File.Exists(directory.File("out.raw")));
        JsonNode report = JsonNode.Parse(await File.ReadAllTextAsync(result.ReportPath))!;
        Assert.Equal("failed", (string?)report["outcome"]);
        Assert.False((bool?)report["complete"]);
    }

    [Fact]
    public async Task Run_DestinationFolderMissing_FailsAtOpenWithPath()
    {
        using var directory = new TempDirectory();
        await File.WriteAllTextAsync(directory.File("in.bin"), "evidence");
        JobSpec job = new()
        {
            Source = new FileSourceSpec { Path = "in.bin" },
            Sinks = [new RawFileSinkSpec { Path = "no/such/folder/out.raw" }],
            Report = new ReportSpec { Path = "report.json" },
        };

        JobResult result = await new JobRunner(job, Context(directory), new JobComponents()).RunAsync(default);

        Assert.Equal(JobStatus.Failed, result.Status);
        Assert.Contains("out.raw.partial: cannot create the output", result.Error);
    }

    [Fact]
    public async Task Run_Cancelled_RenamesNothingAndMarksTheReportCancelled()
    {
        using var directory = new TempDirectory();
        var content = new byte[4096 * 2000];
        JobComponents components = new JobComponents().RegisterSource<FileSourceSpec>((_, _) =>
            new SlowSource(new ScriptedSource(content, ScriptedSource.DataChunks(content.Length, 4096))));
        JobSpec job = new()
        {
            Source = new FileSourceSpec { Path = "in.bin" },
            Stages = [new HashStageSpec { Algorithms = ["sha256"] }],
            Sinks = [new RawFileSinkSpec { Path = "out.raw" }],
            BufferSize = 4096,
        };
        var runner = new JobRunner(job, Context(directory), components);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        JobResult result = await runner.RunAsync(cancellation.Token);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "cancellation must not wait for the whole input");
        Assert.Equal(JobStatus.Cancelled, result.Status);
        Assert.False(File.Exists(directory.File("out.raw")));
        Assert.True(File.Exists(directory.File("out.raw.partial")));
        Assert.False(File.Exists(directory.File("out.raw.sha256")));
        JsonNode report = JsonNode.Parse(await File.ReadAllTextAsync(result.ReportPath))!;
        Assert.Equal("cancelled", (string?)report["outcome"]);
        Assert.False((bool?)report["complete"]);
        Assert.Equal(0, runner.BuffersOutstanding);
    }

    // Relative costs with SHA-NI (md5 844 MB/s, sha1 2 GB/s, sha256 1.9 GB/s): on 2 processors md5 + sha1
    // share one thread and sha256 + sha512 the other (md5 1.0 → A, sha512 0.6 → B, sha256 → B, sha1 → A).
    private static readonly Dictionary<string, double> s_costs = new() { ["md5"] = 1.0, ["sha1"] = 0.41, ["sha256"] = 0.43, ["sha512"] = 0.6 };

    [Fact]
    public async Task Run_MoreAlgorithmsThanProcessors_GroupedDigestsAndWindowsEqualOneShotAndReportHasThePlan()
    {
        using var directory = new TempDirectory();
        var content = new byte[1_000_003];
        new Random(12).NextBytes(content);
        await File.WriteAllBytesAsync(directory.File("in.bin"), content);
        var measured = new List<string>();
        var runner = new JobRunner(ImageJob("in.bin", "out.raw"), Context(directory), new JobComponents())
        {
            HashProcessors = 2,
            HashCost = name =>
            {
                measured.Add(name);
                return s_costs[name];
            },
        };

        JobResult result = await runner.RunAsync(default);

        Assert.Equal(JobStatus.Succeeded, result.Status);
        Assert.Equal(["md5", "sha1", "sha256", "sha512"], measured);
        JsonNode report = JsonNode.Parse(await File.ReadAllTextAsync(result.ReportPath))!;
        JsonArray hashes = report["hashes"]!.AsArray();
        Assert.Equal(["md5", "sha1", "sha256", "sha512"], hashes.Select(hash => (string?)hash!["algorithm"]));
        foreach (JsonNode? hash in hashes)
        {
            string algorithm = (string)hash!["algorithm"]!;
            HashAlgorithmName name = HashAlgorithmKind.ToBcl(algorithm);
            string digest = Convert.ToHexStringLower(CryptographicOperations.HashData(name, content));
            Assert.Equal(digest, (string?)hash["digest"]);
            Assert.Equal(digest, result.Digests[algorithm]);
            Assert.Equal(1_000_003L, (long?)hash["bytes"]);
            Assert.Equal($"{digest}  out.raw\n", await File.ReadAllTextAsync(directory.File($"out.raw.{algorithm}")));
            JsonArray windows = hash["windows"]!.AsArray();
            Assert.Equal(11, windows.Count);
            for (int i = 0; i < windows.Count; i++)
            {
                int start = i * 100_000;
                int length = Math.Min(100_000, content.Length - start);
                Assert.Equal(start, (long?)windows[i]!["offset"]);
                Assert.Equal(length, (long?)windows[i]!["length"]);
                Assert.Equal(Convert.ToHexStringLower(CryptographicOperations.HashData(name, content.AsSpan(start, length))),
                    (string?)windows[i]!["digest"]);
            }
        }
        Assert.Equal("""[["md5","sha1"],["sha256","sha512"]]""", report["hashThreads"]!.ToJsonString());
        Assert.Equal(["raw-file", "null"], report["sinks"]!.AsArray().Select(sink => (string?)sink!["type"]));
        Assert.Contains("threads: md5+sha1 | sha256+sha512", await File.ReadAllTextAsync(result.TextReportPath));
        Assert.Equal(0, runner.BuffersOutstanding);
    }

    [Fact]
    public async Task Run_NoMoreAlgorithmsThanProcessors_OneThreadEachWithoutMeasuring()
    {
        using var directory = new TempDirectory();
        await File.WriteAllTextAsync(directory.File("in.bin"), "evidence");
        var runner = new JobRunner(ImageJob("in.bin", "out.raw"), Context(directory), new JobComponents())
        {
            HashProcessors = 4,
            HashCost = _ => throw new InvalidOperationException("costs are only measured when algorithms share threads"),
        };

        JobResult result = await runner.RunAsync(default);

        Assert.Equal(JobStatus.Succeeded, result.Status);
        JsonNode report = JsonNode.Parse(await File.ReadAllTextAsync(result.ReportPath))!;
        Assert.Equal("""[["md5"],["sha1"],["sha256"],["sha512"]]""", report["hashThreads"]!.ToJsonString());
        Assert.Equal(4, report["hashes"]!.AsArray().Count);
        Assert.Equal(["raw-file", "null"], report["sinks"]!.AsArray().Select(sink => (string?)sink!["type"]));
    }

    [Fact]
    public async Task Run_GroupedHashersCancelled_EndsCancelledWithoutSidecarsAndPoolBalanced()
    {
        using var directory = new TempDirectory();
        var content = new byte[4096 * 2000];
        JobComponents components = new JobComponents().RegisterSource<FileSourceSpec>((_, _) =>
            new SlowSource(new ScriptedSource(content, ScriptedSource.DataChunks(content.Length, 4096))));
        JobSpec job = new()
        {
            Source = new FileSourceSpec { Path = "in.bin" },
            Stages = [new HashStageSpec { Algorithms = ["md5", "sha1", "sha256", "sha512"], Window = 100_000 }],
            Sinks = [new RawFileSinkSpec { Path = "out.raw" }],
            BufferSize = 4096,
        };
        var runner = new JobRunner(job, Context(directory), components) { HashProcessors = 2, HashCost = name => s_costs[name] };
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        JobResult result = await runner.RunAsync(cancellation.Token);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "cancellation must not wait for the whole input");
        Assert.Equal(JobStatus.Cancelled, result.Status);
        Assert.Empty(result.Digests);
        Assert.False(File.Exists(directory.File("out.raw")));
        Assert.Empty(Directory.GetFiles(directory.Path, "out.raw.sha*").Concat(Directory.GetFiles(directory.Path, "out.raw.md5")));
        JsonNode report = JsonNode.Parse(await File.ReadAllTextAsync(result.ReportPath))!;
        Assert.Equal("cancelled", (string?)report["outcome"]);
        Assert.False((bool?)report["complete"]);
        Assert.Equal("""[["md5","sha1"],["sha256","sha512"]]""", report["hashThreads"]!.ToJsonString());
        Assert.All(report["hashes"]!.AsArray(), hash => Assert.Null((string?)hash!["digest"]));
        Assert.Equal(0, runner.BuffersOutstanding);
    }

    /// <summary>Delays every extent a little, so a run is still going when it is cancelled.</summary>
    private sealed class SlowSource(ScriptedSource inner) : IExtentSource
    {
        public Verification.IImageVerifier? Verifier => null;

        public long BytesRead => inner.BytesRead;

        public ValueTask<SourceInfo> OpenAsync(CancellationToken cancellationToken) => inner.OpenAsync(cancellationToken);

        public async IAsyncEnumerable<Extent> ReadAsync(BufferPool pool, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (Extent extent in inner.ReadAsync(pool, cancellationToken))
            {
                yield return extent;
                await Task.Delay(2, cancellationToken);
            }
        }

        public JsonObject? DescribeAfterRun() => null;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
