using System.Text.Json.Nodes;

namespace ForensicPipe.Cli.Tests;

public class NtfscloneCommandTests(NtfscloneImageFixture fixture) : IClassFixture<NtfscloneImageFixture>
{
    [Fact]
    public void Info_Json_ShowsEveryHeaderField()
    {
        FpipeProcess.Outcome run = FpipeProcess.Run(fixture.Folder, "info", "ntfs.img", "--json");

        Assert.Equal(0, run.ExitCode);
        JsonNode info = JsonNode.Parse(run.Stdout)!;
        Assert.Equal("ntfsclone", (string?)info["format"]);
        Assert.Equal("10.1", (string?)info["version"]);
        Assert.Equal(4096, (int?)info["clusterSize"]);
        Assert.Equal(48L << 20, (long?)info["deviceSize"]);
        Assert.Equal(48L << 20, (long?)info["partitionSize"]);
        Assert.True((long?)info["clusterCount"] > 0);
        Assert.True((long?)info["clustersInUse"] > 0);
        Assert.Equal(56, (long?)info["dataOffset"]);
        Assert.False((bool?)info["metadataImage"]);
    }

    [Fact]
    public void Restore_FullImage_EqualsTheOriginal()
    {
        using var directory = new TempDirectory();

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "restore", fixture.File("ntfs.img"), "out.raw", "--fill", "zero", "--quiet");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(ExternalTool.Digest("sha256", fixture.File("ntfs.raw")), ExternalTool.Digest("sha256", directory.File("out.raw")));
    }

    [Fact]
    public void Restore_FromStandardInput_EqualsTheOriginal()
    {
        using var directory = new TempDirectory();

        ExternalTool.Shell(directory.Path, $"cat '{fixture.File("ntfs.img")}' | dotnet '{FpipeProcess.Dll}' restore - out.raw --fill sparse --quiet");

        Assert.Equal(ExternalTool.Digest("sha256", fixture.File("ntfs.raw")), ExternalTool.Digest("sha256", directory.File("out.raw")));
    }

    [Fact]
    public void Restore_FromANamedPipe_EqualsTheOriginal()
    {
        using var directory = new TempDirectory();

        ExternalTool.Shell(directory.Path,
            $"mkfifo image.fifo && (cat '{fixture.File("ntfs.img")}' > image.fifo &) && dotnet '{FpipeProcess.Dll}' restore image.fifo out.raw --fill zero --quiet");

        Assert.Equal(ExternalTool.Digest("sha256", fixture.File("ntfs.raw")), ExternalTool.Digest("sha256", directory.File("out.raw")));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("bzip2")]
    public void Restore_CompressedImageFromStandardInput_DetectedAndEqualsTheOriginal(string compressor)
    {
        using var directory = new TempDirectory();

        ExternalTool.Shell(directory.Path,
            $"{compressor} -c '{fixture.File("ntfs.img")}' | dotnet '{FpipeProcess.Dll}' restore - out.raw --fill zero --quiet");

        Assert.Equal(ExternalTool.Digest("sha256", fixture.File("ntfs.raw")), ExternalTool.Digest("sha256", directory.File("out.raw")));
    }

    [Fact]
    public void Restore_MetadataImage_WarnsOnStderrAndInTheReportAndEqualsNtfscloneRestore()
    {
        using var directory = new TempDirectory();

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "restore", fixture.File("ntfs.meta.img"), "out.raw", "--fill", "zero", "--quiet");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("fpipe: warning: this is an ntfsclone metadata image", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExternalTool.Digest("sha256", fixture.File("meta-restored.raw")), ExternalTool.Digest("sha256", directory.File("out.raw")));
        JsonNode report = JsonNode.Parse(File.ReadAllText(directory.File("out.raw.report.json")))!;
        Assert.Contains("metadata image", (string?)report["warnings"]![0], StringComparison.Ordinal);
        Assert.True((bool?)report["source"]!["details"]!["metadataImage"]);
    }

    [Fact]
    public void Restore_MetadataImageFromAPipe_Exit1AndNoFinishedOutput()
    {
        using var directory = new TempDirectory();

        string output = ExternalTool.Shell(directory.Path,
            $"cat '{fixture.File("ntfs.meta.img")}' | dotnet '{FpipeProcess.Dll}' restore - out.raw --quiet 2>&1; echo exit=$?");

        Assert.Contains("exit=1", output, StringComparison.Ordinal);
        Assert.Contains("ntfsclone: gap count at byte", output, StringComparison.Ordinal);
        Assert.Contains("metadata image", output, StringComparison.Ordinal);
        Assert.False(File.Exists(directory.File("out.raw")));
    }

    [Fact]
    public void Verify_SaysThereAreNoChecksums()
    {
        using var directory = new TempDirectory();

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "verify", fixture.File("ntfs.img"), "--report", "v.json");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("0 checksum(s)", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("ntfsclone images have no checksums", run.Stderr, StringComparison.Ordinal);
        JsonNode report = JsonNode.Parse(File.ReadAllText(directory.File("v.json")))!;
        Assert.Contains("no checksums", (string?)report["verification"]!["method"], StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_TruncatedImage_Exit1WithTheOffset()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, $"head -c $(( $(stat -c %s '{fixture.File("ntfs.img")}') - 1000 )) '{fixture.File("ntfs.img")}' > cut.img");

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "verify", "cut.img");

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"fpipe: ntfsclone: payload of cluster \d+ at byte \d+: image truncated", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }
}
