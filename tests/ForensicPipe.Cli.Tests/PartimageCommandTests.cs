using System.Text.Json.Nodes;

namespace ForensicPipe.Cli.Tests;

public class PartimageCommandTests(PartimageImageFixture fixture) : IClassFixture<PartimageImageFixture>
{
    // docs/formats/partimage.md, "Known-answer values": corpus B's partimage images reconstruct to ext2.raw.
    private const string Ext2RawSha256 = "855283beb3eec45757e87aec5537467d6bbfd995e241f30cd8ad8cf25a2ef970";

    [Theory]
    [InlineData("ext2.pimg")]
    [InlineData("ext2mvgz.pimg")]
    [InlineData("ext2mvbz.pimg")]
    [InlineData("fat.pimg")]
    [InlineData("ntfs.pimg")]
    public void Restore_FillZero_EqualsPartimagesOwnRestore(string image)
    {
        using var directory = new TempDirectory();

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "restore", fixture.File(image + ".000"), "out.raw",
            "--fill", "zero", "--hash", "sha256", "--quiet");

        Assert.True(run.ExitCode == 0, run.Stderr);
        string ours = ExternalTool.Digest("sha256", directory.File("out.raw"));
        Assert.Equal(fixture.PartimageRestoreSha256(image), ours);
        if (image.StartsWith("ext2", StringComparison.Ordinal))
        {
            Assert.Equal(Ext2RawSha256, ours);
        }
        ExternalTool.Shell(directory.Path, "sha256sum -c out.raw.sha256");
        JsonNode report = JsonNode.Parse(File.ReadAllText(directory.File("out.raw.report.json")))!;
        Assert.Equal("partimage", (string?)report["source"]!["type"]);
        Assert.True((long?)report["verification"]!["checked"] > 4);
        Assert.Equal(0L, (long?)report["verification"]!["mismatches"]);
        Assert.True((bool?)report["verification"]!["passed"]);
    }

    [Theory]
    [InlineData("ext2.pimg")]
    [InlineData("ext2gz.pimg")]
    [InlineData("ext2bz.pimg")]
    public void Restore_SingleVolumeFromPipe_EqualsTheOriginal(string image)
    {
        using var directory = new TempDirectory();

        string output = ExternalTool.Shell(directory.Path,
            $"cat '{fixture.File(image + ".000")}' | dotnet '{FpipeProcess.Dll}' restore - out.raw --fill sparse --quiet; echo \"exit=$?\"");

        Assert.Contains("exit=0", output);
        Assert.Equal(Ext2RawSha256, ExternalTool.Digest("sha256", directory.File("out.raw")));
    }

    [Fact]
    public void Restore_MultiVolumeFromPipe_Exit1AndTheOutputIsNotCommitted()
    {
        using var directory = new TempDirectory();

        string output = ExternalTool.Shell(directory.Path,
            $"cat '{fixture.File("ext2mv.pimg.000")}' | dotnet '{FpipeProcess.Dll}' restore - out.raw --quiet 2>err.txt; echo \"exit=$?\"");

        Assert.Contains("exit=1", output);
        Assert.Contains("standard input carries one volume only", File.ReadAllText(directory.File("err.txt")));
        Assert.False(File.Exists(directory.File("out.raw")));
        Assert.True(File.Exists(directory.File("out.raw.partial")));
    }

    [Fact]
    public void Restore_MissingVolume_Exit1NamingTheFileAndNothingLooksComplete()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, $"cp '{fixture.File("ext2mvgz.pimg.000")}' '{fixture.File("ext2mvgz.pimg.001")}' .");

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "restore", "ext2mvgz.pimg.000", "out.raw", "--quiet");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ext2mvgz.pimg.002 does not exist", run.Stderr);
        Assert.Contains("end of volume 1 ext2mvgz.pimg.001", run.Stderr);
        Assert.False(File.Exists(directory.File("out.raw")));
        Assert.True(File.Exists(directory.File("out.raw.partial")));
        Assert.Equal("failed", (string?)JsonNode.Parse(File.ReadAllText(directory.File("out.raw.partial.report.json")))!["outcome"]);
    }

    [Fact]
    public void Verify_GoodMultiVolumeBzip2_Exit0()
    {
        using var directory = new TempDirectory();

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "verify", fixture.File("ext2mvbz.pimg.000"), "--quiet", "--report", "v.report.json");

        Assert.Equal(0, run.ExitCode);
        JsonNode report = JsonNode.Parse(File.ReadAllText(directory.File("v.report.json")))!;
        Assert.Equal(4L + 143, (long?)report["verification"]!["checked"]);
    }

    [Fact]
    public void Verify_FlippedDataByte_Exit3WithTheChkAndItsOffsets()
    {
        using var directory = new TempDirectory();
        File.Copy(fixture.File("ext2.pimg.000"), directory.File("bad.pimg.000"));
        // File byte 1300000 = logical 1299488, inside the data covered by CHK 19 (data start 53596,
        // docs/formats/partimage.md, "Known-answer values").
        ExternalTool.Shell(directory.Path, "printf '\\x5a' | dd of=bad.pimg.000 bs=1 seek=1300000 conv=notrunc status=none");

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "verify", "bad.pimg.000", "--quiet");

        Assert.Equal(3, run.ExitCode);
        Assert.Matches(@"CHK 19 stored at image byte 1364620 \(partition byte \d+\)", run.Stderr);
        Assert.Contains("tail stored at image byte", run.Stderr);
    }

    [Fact]
    public void Restore_DamagedMainHeader_Exit3NamingTheSum()
    {
        using var directory = new TempDirectory();
        File.Copy(fixture.File("ext2.pimg.000"), directory.File("bad.pimg.000"));
        ExternalTool.Shell(directory.Path, "printf 'X' | dd of=bad.pimg.000 bs=1 seek=2000 conv=notrunc status=none");

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "restore", "bad.pimg.000", "out.raw", "--quiet");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("partimage: main header sum at byte 16384: stored", run.Stderr);
        Assert.False(File.Exists(directory.File("out.raw")));
    }

    [Fact]
    public void Info_Json_ShowsEveryHeaderField()
    {
        using var directory = new TempDirectory();

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "info", fixture.File("ext2mvbz.pimg.000"), "--json");

        Assert.Equal(0, run.ExitCode);
        JsonNode info = JsonNode.Parse(run.Stdout)!;
        Assert.Equal("partimage", (string?)info["format"]);
        Assert.Equal("ext2fs", (string?)info["fileSystem"]);
        Assert.Equal("", (string?)info["description"]);
        Assert.StartsWith("/dev/loop", (string?)info["originalDevice"], StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty((string?)info["hostName"]));
        Assert.False(string.IsNullOrEmpty((string?)info["creationTime"]));
        Assert.Equal("bzip2", (string?)info["compressionName"]);
        // partimage's split points vary between runs (docs/formats/partimage.md, "Files, volumes and compression"):
        // count the files it wrote.
        Assert.Equal(Directory.GetFiles(fixture.Folder, "ext2mvbz.pimg.0??").Length, info["volumeFiles"]!.AsArray().Count);
        Assert.Equal(53596L, (long?)info["dataStart"]);
        Assert.Equal(143L, (long?)info["chkCount"]);
        Assert.Equal(3072L, (long?)info["uncheckedTrailingBytes"]);
    }

    [Fact]
    public void Run_JobFileWithPartimageSource_RestoresAndReports()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("job.json"), $$"""
            {
              "source": { "type": "partimage", "path": "{{fixture.File("fat.pimg.000")}}" },
              "stages": [ { "type": "verify" }, { "type": "hash", "algorithms": ["sha256"] } ],
              "sinks": [ { "type": "raw-file", "path": "fat.raw" } ]
            }
            """);

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "run", "job.json", "--quiet");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(fixture.PartimageRestoreSha256("fat.pimg"), ExternalTool.Digest("sha256", directory.File("fat.raw")));
        JsonNode report = JsonNode.Parse(File.ReadAllText(directory.File("fat.raw.report.json")))!;
        Assert.Equal("fat32", (string?)report["source"]!["details"]!["fileSystem"]);
        Assert.Contains("CRC-32 of every 65536 data bytes", (string?)report["stages"]![0]!["details"]!["method"]);
    }
}
