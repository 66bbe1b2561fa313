using System.Text;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Formats.Ewf;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Ewf;

/// <summary>The e01 sink and source inside whole jobs: JSON specs, registration, the report's case, verification.</summary>
public sealed class EwfJobTests
{
    private static JobComponents Components() => FormatComponents.Register(new JobComponents());

    private static Task<JobResult> RunAsync(string folder, string json)
    {
        string jobFile = Path.Combine(folder, $"job{Guid.NewGuid():N}.job.json");
        File.WriteAllText(jobFile, json);
        JobSpec job = JobLoader.Load(jobFile, Components());
        return new JobRunner(job, JobContext.ForJobFile(jobFile), Components()).RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task E01Job_RawToE01AndBack_CaseFromTheReportAndDigestsVerified()
    {
        using var folder = new TempDirectory();
        byte[] media = EwfTestSupport.Media(3 << 20, seed: 81);
        await File.WriteAllBytesAsync(folder.File("disk.raw"), media);

        JobResult image = await RunAsync(folder.Path, """
            { "source": { "type": "file", "path": "disk.raw" },
              "stages": [ { "type": "hash", "algorithms": ["md5", "sha1"] } ],
              "sinks": [ { "type": "e01", "path": "disk.E01", "compression": "best", "segmentSize": 1048576,
                           "case": { "examiner": "Sink Examiner" } } ],
              "report": { "path": "image.report.json",
                          "case": { "number": "2026-9", "evidence": "E-9", "examiner": "Report Examiner", "description": "a disk", "notes": "n" } } }
            """);
        Assert.True(image.Status == JobStatus.Succeeded, image.Error);
        Assert.Equal(EwfTestSupport.Md5(media), image.Digests["md5"]);
        ToolResult info = await EwfTestSupport.RunAsync("ewfinfo", folder.File("disk.E01"));
        Assert.Contains("Case number:\t\t2026-9", info.StandardOutput);
        Assert.Contains("Examiner name:\t\tSink Examiner", info.StandardOutput);
        Assert.Contains("Description:\t\ta disk", info.StandardOutput);
        Assert.Contains("Compression level:\tbest compression", info.StandardOutput);
        Assert.Empty(Directory.GetFiles(folder.Path, "*.partial"));

        JobResult restore = await RunAsync(folder.Path, """
            { "source": { "type": "e01", "path": "disk.E01" },
              "stages": [ { "type": "verify" }, { "type": "hash", "algorithms": ["sha256"] } ],
              "sinks": [ { "type": "raw-file", "path": "back.raw" } ] }
            """);
        Assert.True(restore.Status == JobStatus.Succeeded, restore.Error);
        Assert.Equal(media, await File.ReadAllBytesAsync(folder.File("back.raw")));
        Assert.Equal(2L + (media.Length / 32768), restore.Report.Root["verification"]!["checked"]!.GetValue<long>());
    }

    [Fact]
    public async Task E01Job_StoredSha1Wrong_VerifyEndsAsMismatch()
    {
        using var folder = new TempDirectory();
        byte[] media = EwfTestSupport.Media(1 << 20, seed: 82);
        string path = folder.File("bad.E01");
        await EwfTestSupport.WriteAsync(path, media, new EwfSinkOptions());
        byte[] bytes = await File.ReadAllBytesAsync(path);
        int digest = Encoding.ASCII.GetString(bytes).LastIndexOf("digest", StringComparison.Ordinal);
        bytes[digest + 76 + 16] ^= 1;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(digest + 76 + 76), EwfAdler32.Compute(bytes.AsSpan(digest + 76, 76)));
        await File.WriteAllBytesAsync(path, bytes);

        JobResult result = await RunAsync(folder.Path, """
            { "source": { "type": "e01", "path": "bad.E01" }, "stages": [ { "type": "verify" } ], "sinks": [ { "type": "null" } ] }
            """);
        Assert.Equal(JobStatus.Mismatch, result.Status);
        Assert.Contains("SHA-1", result.Error);
    }

    [Theory]
    [InlineData("\"path\": \"x.raw\"", "$.sinks[0].path")]
    [InlineData("\"path\": \"x.E01\", \"compression\": \"max\"", "$.sinks[0].compression")]
    [InlineData("\"path\": \"x.E01\", \"segmentSize\": 1000", "$.sinks[0].segmentSize")]
    [InlineData("\"path\": \"x.E01\", \"sectorsPerChunk\": 48", "$.sinks[0].sectorsPerChunk")]
    public void E01SinkSpec_BadValue_RefusedWithItsJsonPath(string fields, string at)
    {
        string json = $$"""{ "source": { "type": "file", "path": "in.raw" }, "sinks": [ { "type": "e01", {{fields}} } ] }""";
        var error = Assert.Throws<JobValidationException>(() => JobLoader.Parse(Encoding.UTF8.GetBytes(json), "job.json"));
        Assert.Equal(at, error.JsonPath);
    }
}
