using System.Text.Json.Nodes;
using ForensicPipe.Cli.Tests.Mount;

namespace ForensicPipe.Cli.Tests;

/// <summary>Swap partitions of a folder (the GPT fixture's sda3, saved with <c>swappt-sda3.info</c>): by default the
/// header util-linux mkswap writes on a blank partition; with <c>--swap zeros</c> (or the job's <c>"swap": "zeros"</c>)
/// zeros over the whole partition, whatever the fill. Also what <c>--hash none</c> leaves out of the report and what
/// verify's report holds of the manifests.</summary>
public sealed partial class ClonezillaCommandTests
{
    private const long SwapStart = 133120 * Sector;
    private const long SwapSize = 16384 * Sector;
    private const string SwapUuid = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    [Fact]
    public void Restore_DefaultSwap_IsByteEqualToMkswapOnABlankPartition()
    {
        string work = fixture.NewOutputFolder();
        string output = Path.Combine(work, "disk.raw");
        FpipeProcess.Outcome restore = FpipeProcess.Run(work, "restore", fixture.Folder("gpt", "zst"), output, "--fill", "zero", "-q");
        Assert.True(restore.ExitCode == 0, restore.Stderr);
        string blank = Path.Combine(work, "blank-swap.raw");
        ExternalTool.Shell(work, $"truncate -s {SwapSize} '{blank}' && mkswap -L swappy -U {SwapUuid} '{blank}' >/dev/null 2>&1");

        byte[] expected = File.ReadAllBytes(blank);
        byte[] restored = Slice(output, SwapStart, SwapSize);

        Assert.True(expected.AsSpan(0, 4096).ContainsAnyExcept((byte)0), "mkswap wrote nothing");
        Assert.True(expected.AsSpan().SequenceEqual(restored), "the swap partition differs from mkswap's output on a blank partition");
    }

    [Fact]
    public void Restore_SwapZeros_SwapPartitionIsZerosAndEverythingElseAsByDefault()
    {
        // The default fill (deadbeef) shows that the zeros are written, not left absent.
        string work = fixture.NewOutputFolder();
        string byDefault = Path.Combine(work, "default.raw"), zeros = Path.Combine(work, "zeros.raw");
        FpipeProcess.Outcome first = FpipeProcess.Run(work, "restore", fixture.Folder("gpt", "zst"), byDefault, "-q");
        FpipeProcess.Outcome second = FpipeProcess.Run(work, "restore", fixture.Folder("gpt", "zst"), zeros, "--swap", "zeros", "-q");
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.True(second.ExitCode == 0, second.Stderr);

        byte[] a = File.ReadAllBytes(byDefault), b = File.ReadAllBytes(zeros);

        Assert.Equal(a.Length, b.Length);
        Assert.False(b.AsSpan((int)SwapStart, (int)SwapSize).ContainsAnyExcept((byte)0), "the swap partition is not all zeros");
        Assert.True(a.AsSpan((int)SwapStart, 4096).EndsWith("SWAPSPACE2"u8));
        Assert.True(a.AsSpan(0, (int)SwapStart).SequenceEqual(b.AsSpan(0, (int)SwapStart)));
        Assert.True(a.AsSpan((int)(SwapStart + SwapSize)).SequenceEqual(b.AsSpan((int)(SwapStart + SwapSize))));
        JsonNode report = JsonNode.Parse(File.ReadAllText(zeros + ".report.json"))!;
        Assert.Equal("zeros", (string?)report["job"]!["source"]!["swap"]);
    }

    [Fact]
    public void Run_ClonezillaJobWithSwapZeros_EqualsTheRestoreWithSwapZeros()
    {
        string work = fixture.NewOutputFolder();
        string job = Path.Combine(work, "swap.job.json");
        File.WriteAllText(job, $$"""
            {
              "source": { "type": "clonezilla", "path": "{{fixture.Folder("gpt", "zst")}}", "swap": "zeros" },
              "stages": [ { "type": "verify" }, { "type": "fill", "pattern": "zero" } ],
              "sinks": [ { "type": "raw-file", "path": "job.raw" } ]
            }
            """);
        string restored = Path.Combine(work, "restore.raw");
        Assert.Equal(0, FpipeProcess.Run(work, "restore", fixture.Folder("gpt", "zst"), restored, "--swap", "zeros", "--fill", "zero", "-q").ExitCode);

        FpipeProcess.Outcome outcome = FpipeProcess.Run(work, "run", job, "-q");

        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        Assert.Equal(Sha256(restored), Sha256(Path.Combine(work, "job.raw")));
        Assert.False(Slice(restored, SwapStart, SwapSize).AsSpan().ContainsAnyExcept((byte)0));
    }

    [Fact]
    public void Restore_SwapNeitherMkswapNorZeros_ExitsTwoNamingTheChoices()
    {
        string output = Path.Combine(fixture.NewOutputFolder(), "disk.raw");

        FpipeProcess.Outcome outcome = FpipeProcess.Run(fixture.Root, "restore", fixture.Folder("gpt", "zst"), output, "--swap", "random", "-q");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("mkswap", outcome.Stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Mount_SwapZeros_SwapFileReadsZeros()
    {
        string work = fixture.NewOutputFolder();
        using var mounted = new MountedImage(fixture.Folder("gpt", "uncomp"), Path.Combine(work, "mnt"), "--swap", "zeros");

        byte[] swap = File.ReadAllBytes(mounted.File("sda3"));

        Assert.Equal(SwapSize, swap.Length);
        Assert.False(swap.AsSpan().ContainsAnyExcept((byte)0));
        Assert.False(Slice(mounted.File("sda"), SwapStart, SwapSize).AsSpan().ContainsAnyExcept((byte)0));
    }

    [Fact]
    public void Restore_HashNone_ReportHasNoPartitionDigests()
    {
        string output = Path.Combine(fixture.NewOutputFolder(), "disk.raw");
        Assert.Equal(0, FpipeProcess.Run(fixture.Root, "restore", fixture.Folder("gpt", "zst"), output, "--fill", "sparse", "--hash", "none", "-q").ExitCode);

        JsonNode report = JsonNode.Parse(File.ReadAllText(output + ".report.json"))!;

        JsonArray partitions = report["source"]!["afterRun"]!["partitions"]!.AsArray();
        Assert.Equal(4, partitions.Count);
        Assert.All(partitions, partition => Assert.Null((string?)partition!["sha256"]));
        Assert.False((bool)report["job"]!["source"]!["partitionDigests"]!);
        Assert.Equal(fixture.RebuiltSha256("gpt", "zst"), Sha256(output));
    }

    [Fact]
    public void Verify_TodaysFolder_ReportHoldsEveryManifestCheck()
    {
        string work = fixture.NewOutputFolder();
        string report = Path.Combine(work, "verify.json");

        FpipeProcess.Outcome outcome = FpipeProcess.Run(work, "verify", fixture.Folder("gpt", "zst"), "--report", report);

        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        JsonNode after = JsonNode.Parse(File.ReadAllText(report))!["source"]!["afterRun"]!;
        JsonArray checks = after["manifests"]!.AsArray();
        string[] lines = [.. Directory.GetFiles(fixture.Folder("gpt", "zst"), "*SUMS").SelectMany(File.ReadAllLines).Where(line => line.Length > 0)];
        Assert.Equal(lines.Length, checks.Count);
        Assert.All(checks, check => Assert.Equal("match", (string?)check!["result"]));
        Assert.Contains(checks, check => (string?)check!["manifest"] == "B2SUMS");
        Assert.Contains("manifests: MD5SUMS, SHA1SUMS, B2SUMS, B3SUMS", outcome.Stderr);
    }

    [Fact]
    public void Verify_MalformedManifestLine_OneLineExitOneBeforeTheDiskIsRead()
    {
        // The manifests are hashed beside the disk pass, but parsed before it: a bad line stops everything at once.
        string folder = fixture.CopyOf("gpt", "zst");
        File.AppendAllText(Path.Combine(folder, "MD5SUMS"), "zz  sda-mbr\n");
        string report = Path.Combine(fixture.NewOutputFolder(), "verify.json");

        FpipeProcess.Outcome outcome = FpipeProcess.Run(fixture.Root, "verify", folder, "--report", report);

        Assert.Equal(1, outcome.ExitCode);
        string line = Assert.Single(outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("MD5SUMS: line 14 at byte ", line);
        Assert.False(File.Exists(report));
    }

    private static byte[] Slice(string file, long offset, long length)
    {
        using FileStream stream = File.OpenRead(file);
        byte[] bytes = new byte[length];
        stream.Position = offset;
        stream.ReadExactly(bytes);
        return bytes;
    }
}
