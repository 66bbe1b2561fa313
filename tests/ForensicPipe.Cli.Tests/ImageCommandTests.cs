using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ForensicPipe.Cli.Tests;

public class ImageCommandTests
{
    [Fact]
    public void Image_FromStdinPipe_CopiesByteForByteWithCheckableSidecars()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, "head -c 3000001 /dev/urandom > in.bin");

        string output = ExternalTool.Shell(directory.Path,
            $"cat in.bin | dotnet '{FpipeProcess.Dll}' image - out.raw --hash md5,sha1,sha256,sha512 --quiet; echo \"exit=$?\"");

        Assert.Contains("exit=0", output);
        ExternalTool.Shell(directory.Path, "cmp in.bin out.raw");
        ExternalTool.Shell(directory.Path, "md5sum -c out.raw.md5 && sha1sum -c out.raw.sha1 && sha256sum -c out.raw.sha256 && sha512sum -c out.raw.sha512");
        JsonNode report = JsonNode.Parse(File.ReadAllText(directory.File("out.raw.report.json")))!;
        Assert.Equal("-", (string?)report["source"]!["path"]);
        Assert.Null((long?)report["source"]!["size"]);
        Assert.Equal(3000001L, (long?)report["stream"]!["bytes"]);
    }

    [Fact]
    public void Image_MultiGiBSparseFile_DigestsEqualTheCoreutilsTools()
    {
        using var directory = new TempDirectory();
        // 3 GiB, mostly hole, with random data at the start, across the 2 GiB mark and at the end.
        ExternalTool.Shell(directory.Path,
            "truncate -s 3G sparse.img && head -c 1000000 /dev/urandom | dd of=sparse.img conv=notrunc status=none " +
            "&& head -c 1000000 /dev/urandom | dd of=sparse.img bs=1 seek=2147000000 conv=notrunc status=none " +
            "&& head -c 4096 /dev/urandom | dd of=sparse.img bs=4096 seek=786431 conv=notrunc status=none");
        File.WriteAllText(directory.File("hash.job.json"), """
            { "source": { "type": "file", "path": "sparse.img" },
              "stages": [ { "type": "hash", "algorithms": ["sha1", "sha256"], "window": 1073741824 } ],
              "sinks": [ { "type": "null" } ] }
            """);

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "run", "hash.job.json", "--quiet");

        Assert.Equal(0, run.ExitCode);
        JsonNode report = JsonNode.Parse(File.ReadAllText(directory.File("hash.report.json")))!;
        Assert.Equal(3L << 30, (long?)report["stream"]!["bytes"]);
        JsonArray hashes = report["hashes"]!.AsArray();
        Assert.Equal(ExternalTool.Digest("sha1", directory.File("sparse.img")), (string?)hashes[0]!["digest"]);
        Assert.Equal(ExternalTool.Digest("sha256", directory.File("sparse.img")), (string?)hashes[1]!["digest"]);
        string secondWindow = ExternalTool.Shell(directory.Path, "dd if=sparse.img bs=1M skip=1024 count=1024 status=none | sha256sum").Split(' ')[0];
        Assert.Equal(secondWindow, (string?)hashes[1]!["windows"]![1]!["digest"]);
    }

    [Fact]
    public void Image_ExistingOutput_Exit2AndUntouched()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("in.bin"), "evidence");
        File.WriteAllText(directory.File("out.raw"), "earlier");

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "image", "in.bin", "out.raw");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("out.raw exists; add --overwrite", run.Stderr);
        Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.Equal("earlier", File.ReadAllText(directory.File("out.raw")));
    }

    [Fact]
    public void Image_MissingSource_Exit1OneLineNothingComplete()
    {
        using var directory = new TempDirectory();

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "image", "missing.bin", "out.raw", "--quiet");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"fpipe: {directory.File("missing.bin")}: cannot open the source: Could not find file '{directory.File("missing.bin")}'.", run.Stderr.Trim());
        Assert.False(File.Exists(directory.File("out.raw")));
        // The report follows the output as it is on disk: never renamed, so named after the .partial.
        Assert.False(File.Exists(directory.File("out.raw.report.json")));
        Assert.Equal("failed", (string?)JsonNode.Parse(File.ReadAllText(directory.File("out.raw.partial.report.json")))!["outcome"]);
    }

    [Theory]
    [InlineData("--window", "-5", "fpipe: --window: '-5' is not a size")]
    [InlineData("--hash", "md5,whirlpool", "fpipe: --hash: unknown algorithm 'whirlpool'; known: md5, sha1, sha256, sha384, sha512, or none")]
    [InlineData("--buffer-size", "1000", "fpipe: --buffer-size: 1000 is not a multiple of 4096 from 4K to 64M")]
    public void Image_BadOption_Exit2NamingTheFlag(string option, string value, string path)
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("in.bin"), "evidence");

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "image", "in.bin", "out.raw", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(path, run.Stderr);
        Assert.False(File.Exists(directory.File("out.raw.partial")));
    }

    [Theory]
    [InlineData("image")]
    [InlineData("image", "a", "b", "--no-such-option")]
    [InlineData("frobnicate")]
    public void BadUsage_Exit2(params string[] arguments)
    {
        using var directory = new TempDirectory();

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, arguments);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("fpipe: ", run.Stderr);
    }

    [Fact]
    public async Task Image_SigintDuringCopy_Exit130RenamesNothingAndMarksReportCancelled()
    {
        using var directory = new TempDirectory();
        using Process process = Process.Start(FpipeProcess.StartInfo(directory.Path, ["image", "-", "out.raw", "--quiet"]))!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        var chunk = new byte[1 << 16];
        // Keep the copy busy: feed data until the output appears, then interrupt while stdin is still open.
        var clock = Stopwatch.StartNew();
        while (!File.Exists(directory.File("out.raw.partial")) && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            process.StandardInput.BaseStream.Write(chunk);
        }
        process.StandardInput.BaseStream.Write(chunk);
        process.StandardInput.BaseStream.Flush();

        ExternalTool.Shell(directory.Path, $"kill -INT {process.Id}");
        var afterSignal = Stopwatch.StartNew();
        bool exited = process.WaitForExit(TimeSpan.FromSeconds(10));
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
        }

        Assert.True(exited, "fpipe did not stop after SIGINT");
        Assert.True(afterSignal.Elapsed < TimeSpan.FromSeconds(5), $"took {afterSignal.Elapsed} to stop");
        Assert.Equal(130, process.ExitCode);
        Assert.False(File.Exists(directory.File("out.raw")));
        Assert.True(File.Exists(directory.File("out.raw.partial")));
        Assert.False(File.Exists(directory.File("out.raw.md5")));
        // A cancelled output is never renamed, so its report is named after the .partial.
        JsonNode report = JsonNode.Parse(File.ReadAllText(directory.File("out.raw.partial.report.json")))!;
        Assert.Equal("cancelled", (string?)report["outcome"]);
        Assert.False((bool?)report["complete"]);
        Assert.Contains("cancelled", await stderr);
    }

    [Fact]
    public void Image_TelemetryConsole_PrintsJobSpanAndMetrics()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, "head -c 100000 /dev/urandom > in.bin");

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "image", "in.bin", "out.raw", "--telemetry", "console", "--quiet");

        Assert.Equal(0, run.ExitCode);
        // OpenTelemetry.Exporter.Console's layout; metric blocks are deltas, so a job that spans an export
        // interval has its counts in several blocks.
        Assert.Contains("Activity.DisplayName:        job", run.Stderr);
        Assert.Contains("Activity.DisplayName:        sink raw-file", run.Stderr);
        Assert.Contains("Activity.DisplayName:        source", run.Stderr);
        Assert.Equal(100000, Telemetry.ConsoleMetrics.Sum(run.Stderr, "fpipe.source.bytes", "fpipe.extent.kind: data"));
        Assert.Equal(100000, Telemetry.ConsoleMetrics.Sum(run.Stderr, "fpipe.consumer.bytes", "fpipe.consumer: md5"));
        Assert.Equal(1, Telemetry.ConsoleMetrics.Sum(run.Stderr, "fpipe.jobs", "fpipe.outcome: succeeded"));
    }
}
