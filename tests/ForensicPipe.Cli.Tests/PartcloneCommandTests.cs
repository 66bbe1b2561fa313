using System.Text.Json.Nodes;

namespace ForensicPipe.Cli.Tests;

public class PartcloneCommandTests(PartcloneImageFixture fixture) : IClassFixture<PartcloneImageFixture>
{
    [Fact]
    public void Restore_FillZero_EqualsTheOriginalAndPartclonesOwnRestore()
    {
        using var directory = new TempDirectory();

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "restore", fixture.File("ext4.pc"), "out.raw", "--fill", "zero", "--hash", "sha256", "--quiet");

        Assert.Equal(0, run.ExitCode);
        string ours = ExternalTool.Digest("sha256", directory.File("out.raw"));
        Assert.Equal(ExternalTool.Digest("sha256", fixture.File("ext4.raw")), ours);
        Assert.Equal(ExternalTool.Digest("sha256", fixture.File("partclone-restored.raw")), ours);
        ExternalTool.Shell(directory.Path, "sha256sum -c out.raw.sha256");
        JsonNode report = JsonNode.Parse(File.ReadAllText(directory.File("out.raw.report.json")))!;
        Assert.Equal("EXTFS", (string?)report["source"]!["details"]!["fileSystem"]);
        Assert.True((long?)report["verification"]!["checked"] > 2);
        Assert.Equal(0L, (long?)report["verification"]!["mismatches"]);
        Assert.True((bool?)report["verification"]!["passed"]);
    }

    [Fact]
    public void Restore_DefaultFill_PutsDeadbeefWhereTheImageHasNoBlocks()
    {
        using var directory = new TempDirectory();

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "restore", fixture.File("ext4.pc"), "out.raw", "--quiet");

        Assert.Equal(0, run.ExitCode);
        byte[] ours = File.ReadAllBytes(directory.File("out.raw"));
        byte[] original = File.ReadAllBytes(fixture.File("ext4.raw"));
        JsonNode info = JsonNode.Parse(FpipeProcess.Run(directory.Path, "info", fixture.File("ext4.pc"), "--json").Stdout)!;
        long absentBlocks = (long)info["bitmapAbsentBlocks"]!;
        long differing = 0, deadbeefBlocks = 0;
        for (int block = 0; block < ours.Length / 1024; block++)
        {
            Span<byte> mine = ours.AsSpan(block * 1024, 1024);
            if (!mine.SequenceEqual(original.AsSpan(block * 1024, 1024)))
            {
                differing++;
            }
            if (mine.SequenceEqual(DeadbeefBlock()))
            {
                deadbeefBlocks++;
            }
        }
        Assert.True(absentBlocks > 0);
        Assert.Equal(absentBlocks, deadbeefBlocks);
        Assert.InRange(differing, 1, absentBlocks);
        JsonNode report = JsonNode.Parse(File.ReadAllText(directory.File("out.raw.report.json")))!;
        Assert.Equal(absentBlocks * 1024, (long?)report["stages"]![1]!["details"]!["filledBytes"]);
    }

    private static byte[] DeadbeefBlock() => [.. Enumerable.Range(0, 1024).Select(i => (byte)(0xDEADBEEF >> (24 - 8 * (i % 4))))];

    [Fact]
    public void Restore_FromPipeSparse_LeavesHolesAndEqualsTheOriginal()
    {
        using var directory = new TempDirectory();

        string output = ExternalTool.Shell(directory.Path,
            $"cat '{fixture.File("ext4.pc")}' | dotnet '{FpipeProcess.Dll}' restore - out.raw --fill sparse --quiet; echo \"exit=$?\"");

        Assert.Contains("exit=0", output);
        Assert.Equal(ExternalTool.Digest("sha256", fixture.File("ext4.raw")), ExternalTool.Digest("sha256", directory.File("out.raw")));
        long allocated = long.Parse(ExternalTool.Shell(directory.Path, "stat -c %b out.raw").Trim()) * 512;
        Assert.True(allocated < new FileInfo(directory.File("out.raw")).Length, "the absent blocks should be holes");
    }

    [Fact]
    public void Verify_GoodImage_Exit0()
    {
        using var directory = new TempDirectory();

        File.CreateSymbolicLink(directory.File("ext4.pc"), fixture.File("ext4.pc"));

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "verify", "ext4.pc");

        Assert.Equal(0, run.ExitCode);
        // Beside the checked file (here the link), with the time in its name.
        Assert.Single(Directory.GetFiles(directory.Path, "ext4.pc.verify.*Z.report.json"));
    }

    [Fact]
    public void Verify_TwiceWithTheSameReport_SecondGetsATimeStampedNameUnlessOverwrite()
    {
        using var directory = new TempDirectory();
        Assert.Equal(0, FpipeProcess.Run(directory.Path, "verify", fixture.File("ext4.pc"), "--quiet", "--report", "check.report.json").ExitCode);
        string first = File.ReadAllText(directory.File("check.report.json"));

        FpipeProcess.Outcome again = FpipeProcess.Run(directory.Path, "verify", fixture.File("ext4.pc"), "--quiet", "--report", "check.report.json");

        Assert.Equal(0, again.ExitCode);
        Assert.Contains("this run's report is", again.Stderr);
        Assert.Equal(first, File.ReadAllText(directory.File("check.report.json")));
        Assert.Single(Directory.GetFiles(directory.Path, "check.*Z.report.json"));
        Assert.Equal(0, FpipeProcess.Run(directory.Path, "verify", fixture.File("ext4.pc"), "--quiet", "--report", "check.report.json", "--overwrite").ExitCode);
        Assert.NotEqual(first, File.ReadAllText(directory.File("check.report.json")));
    }

    [Fact]
    public void Verify_FlippedDataByte_Exit3WithGroupAndOffsetsLikeChkimg()
    {
        using var directory = new TempDirectory();
        File.Copy(fixture.File("ext4.pc"), directory.File("bad.pc"));
        // Past the header and bitmap (3 KiB here), inside the data of the second checksum group.
        ExternalTool.Shell(directory.Path, "printf '\\x5a' | dd of=bad.pc bs=1 seek=1300000 conv=notrunc status=none");
        string chkimg = ExternalTool.Shell(directory.Path, "partclone.chkimg -s bad.pc -L /dev/null >/dev/null 2>&1; echo $?").Trim();

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "verify", "bad.pc", "--quiet");

        Assert.NotEqual("0", chkimg);
        Assert.Equal(3, run.ExitCode);
        Assert.Matches(@"group 1 stored at image byte \d+ \(partition byte \d+\)", run.Stderr);
    }

    [Fact]
    public void Info_Json_ShowsHeaderFieldsBitmapCountsAndChecksumLayout()
    {
        using var directory = new TempDirectory();

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "info", fixture.File("ext4.pc"), "--json");

        Assert.Equal(0, run.ExitCode);
        JsonNode info = JsonNode.Parse(run.Stdout)!;
        Assert.Equal("0002", (string?)info["formatVersion"]);
        Assert.Equal(1024L, (long?)info["blockSize"]);
        Assert.Equal(1024L, (long?)info["blocksPerChecksum"]);
        Assert.Equal((long?)info["usedBlocks"], (long?)info["bitmapSetBits"]);
        Assert.Equal(new FileInfo(fixture.File("ext4.pc")).Length, (long?)info["expectedImageSize"]);
    }

    [Fact]
    public void Restore_NotAnImage_Exit1NamingTheMagic()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("notes.txt"), "not an image at all");

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "restore", "notes.txt", "out.raw");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("magic at byte 0: not a partclone, partimage, ntfsclone or e01 image", run.Stderr);
        Assert.False(File.Exists(directory.File("out.raw")));
    }

    [Fact]
    public void Restore_TruncatedImage_Exit1WithOffsetAndNothingLooksComplete()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, $"head -c 1500000 '{fixture.File("ext4.pc")}' > cut.pc");

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "restore", "cut.pc", "out.raw", "--quiet");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("image truncated", run.Stderr);
        Assert.Contains("at byte", run.Stderr);
        Assert.False(File.Exists(directory.File("out.raw")));
        Assert.True(File.Exists(directory.File("out.raw.partial")));
        Assert.Equal("failed", (string?)JsonNode.Parse(File.ReadAllText(directory.File("out.raw.partial.report.json")))!["outcome"]);
    }
}
