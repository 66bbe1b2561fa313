using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ForensicPipe.Cli.Tests.Ux;

/// <summary>Standard output, split pieces, read-back after writing, sync, case metadata and the session log
/// (docs/cli.md).</summary>
public class OutputTests
{
    private static JsonNode Json(string path) => JsonNode.Parse(File.ReadAllText(path))!;

    [Fact]
    public void Image_ToStandardOutput_PipedBytesEqualTheSourceAndNoFileIsMade()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, "head -c 3000001 /dev/urandom > in.bin");

        string piped = ExternalTool.Shell(directory.Path, $"dotnet '{FpipeProcess.Dll}' image in.bin - 2>err.txt | sha256sum");
        string errors = File.ReadAllText(directory.File("err.txt"));

        Assert.Equal(ExternalTool.Shell(directory.Path, "sha256sum < in.bin"), piped);
        Assert.Equal(["err.txt", "in.bin"], Directory.GetFileSystemEntries(directory.Path).Select(Path.GetFileName).Order());
        Assert.Contains("no report written: the copy went to standard output; give --report PATH for one", errors);
        Assert.Contains(piped.Split(' ')[0], errors);
    }

    [Fact]
    public void Image_ToStandardOutputWithReport_ReportHasTheDigestsAndNoSidecarsAreWritten()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, "head -c 100000 /dev/urandom > in.bin");

        string piped = ExternalTool.Shell(directory.Path, $"dotnet '{FpipeProcess.Dll}' image in.bin - --report copy.report.json --quiet | md5sum");

        JsonNode report = Json(directory.File("copy.report.json"));
        Assert.Equal(piped.Split(' ')[0], (string?)report["hashes"]!.AsArray().Single(hash => (string?)hash!["algorithm"] == "md5")!["digest"]);
        Assert.Equal("-", (string?)report["sinks"]![0]!["details"]!["path"]);
        Assert.Empty(report["sidecars"]!.AsArray());
        Assert.Equal(["copy.report.json", "copy.report.txt", "in.bin"], Directory.GetFileSystemEntries(directory.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Run_JobFileWithStandardOutputSink_PipedBytesEqualTheSourceAndSplitOnItIsRefused()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, "head -c 300000 /dev/urandom > in.bin");
        File.WriteAllText(directory.File("out.job.json"), """
            { "source": { "type": "file", "path": "in.bin" }, "stages": [ { "type": "hash", "algorithms": ["sha1"] } ],
              "sinks": [ { "type": "raw-file", "path": "-" } ], "report": { "path": "out.report.json" } }
            """);
        File.WriteAllText(directory.File("split.job.json"), """
            { "source": { "type": "file", "path": "in.bin" }, "sinks": [ { "type": "raw-file", "path": "-", "split": 65536 } ] }
            """);

        string piped = ExternalTool.Shell(directory.Path, $"dotnet '{FpipeProcess.Dll}' run out.job.json --quiet | sha1sum");
        FpipeProcess.Outcome refused = FpipeProcess.Run(directory.Path, "validate", "split.job.json");

        Assert.Equal(ExternalTool.Shell(directory.Path, "sha1sum < in.bin"), piped);
        Assert.Equal(piped.Split(' ')[0], (string?)Json(directory.File("out.report.json"))["hashes"]![0]!["digest"]);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("split.job.json: $.sinks[0].split: does not apply to standard output (path \"-\")", refused.Stderr);
    }

    [Theory]
    [InlineData("--split", "1M", "fpipe: --split: does not apply to standard output (-)")]
    [InlineData("--verify", null, "fpipe: --verify: does not apply to standard output (-)")]
    public void Image_ToStandardOutputWithFileOnlyFlag_Exit2(string flag, string? value, string expected)
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, "head -c 1000 /dev/urandom > in.bin");

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, value is null ? ["image", "in.bin", "-", flag] : ["image", "in.bin", "-", flag, value]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(expected, run.Stderr);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public void Image_Split_PiecesCheckedByMd5sumAndTheWholeByCatThroughMd5sum()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, "head -c 2600000 /dev/urandom > in.bin");

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "image", "in.bin", "out.raw", "--split", "1M", "--hash", "md5,sha256", "--quiet");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(["out.raw.001", "out.raw.002", "out.raw.003"], Directory.GetFiles(directory.Path, "out.raw.0*").Select(Path.GetFileName).Order());
        Assert.Equal(1048576L, new FileInfo(directory.File("out.raw.001")).Length);
        Assert.Equal(2600000L - 2 * 1048576, new FileInfo(directory.File("out.raw.003")).Length);
        Assert.Equal("out.raw.001: OK\nout.raw.002: OK\nout.raw.003: OK\n", ExternalTool.Shell(directory.Path, "md5sum -c out.raw.md5"));
        ExternalTool.Shell(directory.Path, "sha256sum -c out.raw.sha256 && cat out.raw.0* | md5sum -c out.raw.whole.md5 && cat out.raw.0* | cmp - in.bin");
        JsonNode sink = Json(directory.File("out.raw.report.json"))["sinks"]![0]!["details"]!;
        Assert.Equal(3, (int?)sink["pieceCount"]);
        Assert.Equal(ExternalTool.Shell(directory.Path, "sha256sum < out.raw.002").Split(' ')[0], (string?)sink["pieces"]![1]!["digests"]!["sha256"]);
        Assert.Empty(Directory.GetFiles(directory.Path, "*.partial"));
    }

    [Fact]
    public void Image_SplitAgainWithOverwriteAndFewerPieces_StalePiecesRemoved()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, "head -c 300000 /dev/urandom > in.bin");
        Assert.Equal(0, FpipeProcess.Run(directory.Path, "image", "in.bin", "out.raw", "--split", "64K", "--quiet").ExitCode);

        FpipeProcess.Outcome refused = FpipeProcess.Run(directory.Path, "image", "in.bin", "out.raw", "--split", "128K", "--quiet");
        FpipeProcess.Outcome replaced = FpipeProcess.Run(directory.Path, "image", "in.bin", "out.raw", "--split", "128K", "--quiet", "--overwrite");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("add --overwrite", refused.Stderr);
        Assert.Equal(0, replaced.ExitCode);
        Assert.Equal(3, Directory.GetFiles(directory.Path, "out.raw.0*").Length);
        ExternalTool.Shell(directory.Path, "md5sum -c out.raw.md5 && cat out.raw.0* | cmp - in.bin");
    }

    [Fact]
    public void Image_VerifyAndSync_ReadBackMatchesAndTheReportSaysHow()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, "head -c 1000000 /dev/urandom > in.bin");

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "image", "in.bin", "out.raw", "--verify", "--sync");

        Assert.True(run.ExitCode == 0, run.Stderr);
        string sha = ExternalTool.Shell(directory.Path, "sha256sum < in.bin").Split(' ')[0];
        Assert.Contains($"read-back of {directory.File("out.raw")}: sha256 sent {sha}, read back {sha}: match", run.Stderr);
        JsonNode sink = Json(directory.File("out.raw.report.json"))["sinks"]![0]!["details"]!;
        Assert.True((bool?)sink["verify"]!["match"]);
        Assert.True((bool?)sink["synced"]);
        Assert.True((bool?)sink["folderSynced"]);
        Assert.NotNull((string?)sink["verify"]!["readMode"]);
    }

    /// <summary>
    /// The output is changed behind fpipe's back between the write and the read-back, the way failing storage
    /// would: it is written into an ext4 on a loop device, and the test alters the loop device's backing file
    /// at the place where the output's bytes landed. The source is a FIFO that the test keeps open until it
    /// has done so, so the change happens after the last write and before the read-back, which reads with
    /// O_DIRECT through the loop device and so sees the backing file. Without the change the same run passes.
    /// </summary>
    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 3)]
    public async Task Image_Verify_ByteChangedUnderneathAfterTheWrite_Exit3AndOutputStaysPartial(bool change, int expected)
    {
        using var directory = new TempDirectory();
        string backing = directory.File("fs.img");
        string mountPoint = directory.File("fs");
        Directory.CreateDirectory(mountPoint);
        ExternalTool.Shell(directory.Path, "truncate -s 64M fs.img && mkfs.ext4 -q -F -b 4096 fs.img && mkfifo source.fifo");
        byte[] data = new byte[4 << 20];
        Random.Shared.NextBytes(data);
        using var loop = LoopDevice.Attach(backing);
        ExternalTool.Shell("/", $"mount {loop.Path} '{mountPoint}'");
        try
        {
            using Process fpipe = Process.Start(FpipeProcess.StartInfo(directory.Path,
                ["image", "source.fifo", Path.Combine(mountPoint, "out.raw"), "--verify", "--hash", "sha256", "--quiet"]))!;
            Task<string> stderr = fpipe.StandardError.ReadToEndAsync();
            fpipe.StandardInput.Close();
            using (var fifo = new FileStream(directory.File("source.fifo"), FileMode.Open, FileAccess.Write))
            {
                fifo.Write(data);
                fifo.Flush();
                string partial = Path.Combine(mountPoint, "out.raw.partial");
                var clock = Stopwatch.StartNew();
                while (!File.Exists(partial) || new FileInfo(partial).Length < data.Length)
                {
                    Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), "fpipe did not write the data");
                    Thread.Sleep(50);
                }
                // Written pieces that went through ext4's page cache reach the backing file now.
                ExternalTool.Shell("/", $"sync -f '{partial}'");
                if (change)
                {
                    byte[] disk = File.ReadAllBytes(backing);
                    int at = disk.AsSpan().IndexOf(data.AsSpan(3 << 20, 1024));
                    Assert.True(at >= 0, "the output's bytes are not in the backing file");
                    using var file = new FileStream(backing, FileMode.Open, FileAccess.Write);
                    file.Position = at + 100;
                    file.WriteByte((byte)~disk[at + 100]);
                }
            }
            Assert.True(fpipe.WaitForExit(TimeSpan.FromMinutes(2)));
            string errors = await stderr;

            Assert.True(fpipe.ExitCode == expected, errors);
            string output = Path.Combine(mountPoint, "out.raw");
            JsonNode verify = Json(File.Exists(output + ".report.json") ? output + ".report.json" : output + ".partial.report.json")["sinks"]![0]!["details"]!["verify"]!;
            Assert.Equal(change ? false : true, (bool?)verify["match"]);
            Assert.Equal("O_DIRECT", (string?)verify["readMode"]);
            Assert.Equal(!change, File.Exists(output));
            Assert.Equal(change, File.Exists(output + ".partial"));
            if (change)
            {
                Assert.Contains("differs from the", errors);
                Assert.Contains("read back", errors);
            }
        }
        finally
        {
            ExternalTool.Shell("/", $"umount '{mountPoint}'");
        }
    }

    [Fact]
    public void Image_CaseFlags_InTheJsonAndTextReports()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, "head -c 10000 /dev/urandom > in.bin");

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "image", "in.bin", "out.raw", "--quiet", "--case-number", "2026-114",
            "--evidence-number", "E-7", "--examiner", "J. Doe", "--description", "USB stick from the desk", "--notes", "seal intact");

        Assert.Equal(0, run.ExitCode);
        JsonNode report = Json(directory.File("out.raw.report.json"));
        Assert.Equal("2026-114", (string?)report["case"]!["number"]);
        Assert.Equal("E-7", (string?)report["case"]!["evidence"]);
        Assert.Equal("J. Doe", (string?)report["case"]!["examiner"]);
        Assert.Equal("USB stick from the desk", (string?)report["case"]!["description"]);
        Assert.Equal("seal intact", (string?)report["case"]!["notes"]);
        string text = File.ReadAllText(directory.File("out.raw.report.txt"));
        Assert.Contains("description: USB stick from the desk", text);
        Assert.Contains("evidence: E-7", text);
    }

    [Fact]
    public void Run_CaseFlags_OverTheJobFilesCase()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, "head -c 10000 /dev/urandom > in.bin");
        File.WriteAllText(directory.File("c.job.json"), """
            { "source": { "type": "file", "path": "in.bin" }, "sinks": [ { "type": "null" } ],
              "report": { "path": "c.report.json", "case": { "number": "from-file", "examiner": "A" } } }
            """);

        Assert.Equal(0, FpipeProcess.Run(directory.Path, "run", "c.job.json", "--quiet", "--examiner", "B").ExitCode);

        JsonNode report = Json(directory.File("c.report.json"));
        Assert.Equal("from-file", (string?)report["case"]!["number"]);
        Assert.Equal("B", (string?)report["case"]!["examiner"]);
    }

    [Fact]
    public void SessionLog_TwoRuns_BothAppendedWithCommandOutcomeAndMessages()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, "head -c 10000 /dev/urandom > in.bin");

        FpipeProcess.Outcome first = FpipeProcess.Run(directory.Path, "image", "in.bin", "out.raw", "--log", "session.log");
        FpipeProcess.Outcome second = FpipeProcess.Run(directory.Path, "image", "in.bin", "out.raw", "--log", "session.log");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(2, second.ExitCode);
        string[] lines = File.ReadAllLines(directory.File("session.log"));
        Assert.Equal(2, lines.Count(line => line.Contains(" start: fpipe image in.bin out.raw --log session.log", StringComparison.Ordinal)));
        Assert.Contains(lines, line => line.Contains("end: exit 0 (succeeded)", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("end: exit 2 (refused", StringComparison.Ordinal));
        string sha = ExternalTool.Shell(directory.Path, "sha256sum < in.bin").Split(' ')[0];
        Assert.Contains(lines, line => line.Trim() == $"sha256  {sha}");
        Assert.Contains(lines, line => line.Trim() == "fpipe: DST: out.raw exists; add --overwrite to replace it with its report and sidecars");
        Assert.Matches(@"=== \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ start", lines[0]);
    }
}
