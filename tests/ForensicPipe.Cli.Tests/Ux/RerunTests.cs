using System.Text.Json.Nodes;

namespace ForensicPipe.Cli.Tests.Ux;

/// <summary>Commands run again in the same folder, after a failure, and from a read-only folder
/// (docs/cli.md, "Reports and re-runs").</summary>
public class RerunTests(PartcloneImageFixture fixture) : IClassFixture<PartcloneImageFixture>
{
    private static JsonNode Json(string path) => JsonNode.Parse(File.ReadAllText(path))!;

    [Fact]
    public void Verify_TwiceInTheSameFolder_BothExit0WithTheirOwnTimeStampedReports()
    {
        using var directory = new TempDirectory();
        File.CreateSymbolicLink(directory.File("ext4.pc"), fixture.File("ext4.pc"));

        FpipeProcess.Outcome first = FpipeProcess.Run(directory.Path, "verify", "ext4.pc", "--quiet");
        FpipeProcess.Outcome second = FpipeProcess.Run(directory.Path, "verify", "ext4.pc", "--quiet");

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.True(second.ExitCode == 0, second.Stderr);
        string[] reports = Directory.GetFiles(directory.Path, "ext4.pc.verify.*.report.json");
        Assert.Equal(2, reports.Length);
        Assert.All(reports, report => Assert.Equal("succeeded", (string?)Json(report)["outcome"]));
    }

    [Fact]
    public void Verify_FromAnotherFolder_ReportBesideTheImageNotInTheWorkingFolder()
    {
        using var images = new TempDirectory();
        using var elsewhere = new TempDirectory();
        File.CreateSymbolicLink(images.File("ext4.pc"), fixture.File("ext4.pc"));

        FpipeProcess.Outcome run = FpipeProcess.Run(elsewhere.Path, "verify", images.File("ext4.pc"), "--quiet");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(elsewhere.Path));
        Assert.Single(Directory.GetFiles(images.Path, "ext4.pc.verify.*Z.report.json"));
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 3)]
    public void Verify_ImageInAReadOnlyFolder_NoReportSaidOnStderrExitByVerdict(bool damage, int expected)
    {
        using var directory = new TempDirectory();
        string folder = directory.File("ro");
        Directory.CreateDirectory(folder);
        // Root ignores permissions, not a read-only mount: a tmpfs, filled, then remounted read-only.
        ExternalTool.Shell("/", $"mount -t tmpfs -o size=64m tmpfs '{folder}'");
        try
        {
            File.Copy(fixture.File("ext4.pc"), Path.Combine(folder, "ext4.pc"));
            if (damage)
            {
                // The byte PartcloneCommandTests flips: in the data of the second checksum group.
                ExternalTool.Shell(folder, "printf '\\x5a' | dd of=ext4.pc bs=1 seek=1300000 conv=notrunc status=none");
            }
            ExternalTool.Shell("/", $"mount -o remount,ro '{folder}'");

            FpipeProcess.Outcome run = FpipeProcess.Run(folder, "verify", "ext4.pc");
            FpipeProcess.Outcome info = FpipeProcess.Run(folder, "info", "ext4.pc");

            Assert.True(run.ExitCode == expected, run.Stderr);
            Assert.Contains($"fpipe: no report written: {folder} is not writable; give --report PATH for one", run.Stderr);
            Assert.Equal(["ext4.pc"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
            Assert.Equal(0, info.ExitCode);
            Assert.Contains("partclone", info.Stdout);
        }
        finally
        {
            ExternalTool.Shell("/", $"umount '{folder}'");
        }
    }

    [Fact]
    public void Restore_AfterAFailedRun_SucceedsWithoutOverwriteAndKeepsTheFailedRunsReport()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, $"head -c 1500000 '{fixture.File("ext4.pc")}' > cut.pc");

        FpipeProcess.Outcome failed = FpipeProcess.Run(directory.Path, "restore", "cut.pc", "out.raw", "--quiet");
        FpipeProcess.Outcome again = FpipeProcess.Run(directory.Path, "restore", fixture.File("ext4.pc"), "out.raw", "--quiet", "--hash", "sha256");

        Assert.Equal(1, failed.ExitCode);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal("failed", (string?)Json(directory.File("out.raw.partial.report.json"))["outcome"]);
        Assert.Equal("succeeded", (string?)Json(directory.File("out.raw.report.json"))["outcome"]);
        Assert.False(File.Exists(directory.File("out.raw.partial")));
        ExternalTool.Shell(directory.Path, "sha256sum -c out.raw.sha256");
    }

    [Fact]
    public void Run_NullSinkJobTwice_SecondExit0AndTheFirstReportKept()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, "head -c 100000 /dev/urandom > in.bin");
        File.WriteAllText(directory.File("hash.job.json"), """
            { "source": { "type": "file", "path": "in.bin" }, "stages": [ { "type": "hash", "algorithms": ["sha1"] } ], "sinks": [ { "type": "null" } ] }
            """);

        Assert.Equal(0, FpipeProcess.Run(directory.Path, "run", "hash.job.json", "--quiet").ExitCode);
        string first = File.ReadAllText(directory.File("hash.report.json"));
        FpipeProcess.Outcome second = FpipeProcess.Run(directory.Path, "run", "hash.job.json", "--quiet");

        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Equal(first, File.ReadAllText(directory.File("hash.report.json")));
        string stamped = Assert.Single(Directory.GetFiles(directory.Path, "hash.*Z.report.json"));
        Assert.Contains(stamped, second.Stderr);
    }

    [Fact]
    public void Run_RawOutputTwice_SecondRefusedNamingOverwriteWhichThenReplacesIt()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, "head -c 100000 /dev/urandom > in.bin");
        File.WriteAllText(directory.File("copy.job.json"), """
            { "source": { "type": "file", "path": "in.bin" }, "stages": [ { "type": "hash", "algorithms": ["md5"] } ],
              "sinks": [ { "type": "raw-file", "path": "copy.raw" } ] }
            """);
        Assert.Equal(0, FpipeProcess.Run(directory.Path, "run", "copy.job.json", "--quiet").ExitCode);

        FpipeProcess.Outcome refused = FpipeProcess.Run(directory.Path, "run", "copy.job.json", "--quiet");
        ExternalTool.Shell(directory.Path, "head -c 5000 /dev/urandom > in.bin");
        FpipeProcess.Outcome replaced = FpipeProcess.Run(directory.Path, "run", "copy.job.json", "--quiet", "--overwrite");

        Assert.Equal(2, refused.ExitCode);
        Assert.Equal($"fpipe: {directory.File("copy.raw")}: the output exists; set \"overwrite\": true (or --overwrite) to replace it", refused.Stderr.Trim());
        Assert.True(replaced.ExitCode == 0, replaced.Stderr);
        ExternalTool.Shell(directory.Path, "cmp in.bin copy.raw && md5sum -c copy.raw.md5");
        Assert.Equal(5000L, (long?)Json(directory.File("copy.raw.report.json"))["stream"]!["bytes"]);
    }

    [Fact]
    public void Image_SameCommandTwice_SecondSaysOverwriteThenOverwriteReplacesOutputReportAndSidecars()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, "head -c 70000 /dev/urandom > in.bin");
        Assert.Equal(0, FpipeProcess.Run(directory.Path, "image", "in.bin", "out.raw", "--quiet").ExitCode);

        FpipeProcess.Outcome refused = FpipeProcess.Run(directory.Path, "image", "in.bin", "out.raw", "--quiet");
        FpipeProcess.Outcome replaced = FpipeProcess.Run(directory.Path, "image", "in.bin", "out.raw", "--quiet", "--overwrite", "--examiner", "second");

        Assert.Equal(2, refused.ExitCode);
        Assert.Equal("fpipe: DST: out.raw exists; add --overwrite to replace it with its report and sidecars", refused.Stderr.Trim());
        Assert.Equal(0, replaced.ExitCode);
        Assert.Equal("second", (string?)Json(directory.File("out.raw.report.json"))["case"]!["examiner"]);
        Assert.Empty(Directory.GetFiles(directory.Path, "out.raw.*Z.report.json"));
        ExternalTool.Shell(directory.Path, "md5sum -c out.raw.md5 && sha256sum -c out.raw.sha256");
    }
}
