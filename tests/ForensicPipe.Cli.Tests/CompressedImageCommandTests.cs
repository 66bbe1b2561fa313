using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace ForensicPipe.Cli.Tests;

/// <summary>
/// <c>fpipe verify</c> and <c>restore</c> of images stored the way Clonezilla stores them — zstd, gzip (pigz, members),
/// xz, lz4, split into <c>.aa</c>/<c>.aaa</c> pieces — equal the plain image's result byte for byte; a damaged,
/// truncated or missing piece is one line naming the file and the offset, exit code 1, and no final output.
/// </summary>
public sealed class CompressedImageCommandTests(CompressedImageFixture fixture) : IClassFixture<CompressedImageFixture>
{
    public static TheoryData<string, string> Images => new()
    {
        { "ext4.pc.zst", "ext4.pc" },
        { "ext4.multi.zst", "ext4.pc" },
        { "ext4.nocheck.zst", "ext4.pc" },
        { "ext4.skip.zst", "ext4.pc" },
        { "ext4.pc.gz", "ext4.pc" },
        { "ext4.members.gz", "ext4.pc" },
        { "ext4.pc.xz", "ext4.pc" },
        { "ext4.pc.lz4", "ext4.pc" },
        { "sda1.ext4-ptcl-img.gz.aa", "ext4.pc" },
        { "sda1.ext4-ptcl-img.gz.ac", "ext4.pc" },
        { "sda2.ext4-ptcl-img.zst.aaa", "ext4.pc" },
        { "sda3.ext4-ptcl-img.aa", "ext4.pc" },
        { "sda4.ext4-ptcl-img.gz.aa", "ext4.pc" },
        { "sda5.ntfs-img.aa", "ntfs.img" },
        { "sda6.ntfs-img.ab", "ntfs.img" },
        { "hda1.aa", "tiny.pimg.000" },
        { "hdb1.aa", "tiny.pimg.000" },
    };

    private static string Sha256(string path)
    {
        using FileStream file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Restore_StoredAsClonezillaDoes_EqualsThePlainImagesRestore(string image, string plain)
    {
        string output = fixture.File($"{image}.out");
        try
        {
            FpipeProcess.Outcome run = FpipeProcess.Run(fixture.Folder, "restore", image, output, "--quiet");

            Assert.True(run.ExitCode == 0, run.Stderr);
            Assert.Equal(Sha256(fixture.File(plain + ".restored")), Sha256(output));
        }
        finally
        {
            File.Delete(output);
            File.Delete(output + ".partial");
        }
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Verify_StoredAsClonezillaDoes_Exit0(string image, string plain)
    {
        using var directory = new TempDirectory();

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "verify", fixture.File(image), "--quiet");

        Assert.True(run.ExitCode == 0, $"{image} (of {plain}): {run.Stderr}");
    }

    [Fact]
    public void Verify_TruncatedZstd_SummarySaysTheChecksumsPassedBeforeTheErrorNotZeroMismatches()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, $"head -c $(( $(stat -c %s '{fixture.File("ext4.pc.zst")}') / 2 )) '{fixture.File("ext4.pc.zst")}' > cut.zst");

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "verify", "cut.zst");
        string piped = ExternalTool.Shell(directory.Path, $"cat cut.zst | dotnet '{FpipeProcess.Dll}' verify - 2>&1; echo exit=$?");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("zstd data ends inside a frame", run.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"verified: \d+ checksum\(s\) passed before the error above ended the job", run.Stderr);
        Assert.DoesNotContain("mismatch(es)", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("FAILED (outputs left as .partial); report: ", run.Stderr, StringComparison.Ordinal);
        // From standard input there is no report beside the image: the last line says so instead of an empty path.
        Assert.Contains("exit=1", piped, StringComparison.Ordinal);
        Assert.Contains("fpipe: no report written: the image came from standard input", piped, StringComparison.Ordinal);
        Assert.Contains("FAILED (outputs left as .partial); no report", piped, StringComparison.Ordinal);
        Assert.DoesNotContain("report: \n", piped, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_ZstdFromStandardInput_EqualsThePlainImagesRestore()
    {
        string output = fixture.File("stdin.out");
        try
        {
            string exit = ExternalTool.Shell(fixture.Folder,
                $"cat ext4.pc.zst | dotnet '{FpipeProcess.Dll}' restore - '{output}' --quiet; echo \"exit=$?\"");

            Assert.Contains("exit=0", exit, StringComparison.Ordinal);
            Assert.Equal(Sha256(fixture.File("ext4.pc.restored")), Sha256(output));
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void Mount_CompressedSplitSet_RefusedWithTheCommandThatCatsEveryPiece()
    {
        using var directory = new TempDirectory();

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "mount", fixture.File("sda2.ext4-ptcl-img.zst.aab"), directory.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"cat '{fixture.File("sda2.ext4-ptcl-img.zst")}'.??? | zstd -dc > '{fixture.File("sda2.ext4-ptcl-img")}'", run.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Damages a copy of a set (shell commands run in a copy of the fixture's pieces) and restores it.</summary>
    private static (FpipeProcess.Outcome Run, TempDirectory Directory) RestoreDamaged(CompressedImageFixture fixture, string pieces, string damage, string image)
    {
        var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, $"cp {fixture.Folder}/{pieces} . && {damage}");
        return (FpipeProcess.Run(directory.Path, "restore", image, "out.raw"), directory);
    }

    /// <summary>Exit code 1, one error line starting with <paramref name="expectedStart"/> (a path in the damaged copy);
    /// no <c>out.raw</c>: a failure found while reading leaves <c>.partial</c> and a failed report, one found when the
    /// set is opened writes nothing.</summary>
    private static void AssertFailedWithOneLine(FpipeProcess.Outcome run, TempDirectory directory, string expectedStart, bool whileReading)
    {
        string[] errors = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => line.StartsWith("fpipe: ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(1, run.ExitCode);
        Assert.Single(errors);
        // While reading, the job names the image by its full path; when opening, as given.
        Assert.StartsWith($"fpipe: {(whileReading ? directory.Path + "/" : "")}{expectedStart}", errors[0], StringComparison.Ordinal);
        Assert.False(File.Exists(directory.File("out.raw")));
        Assert.Equal(whileReading, File.Exists(directory.File("out.raw.partial")));
        if (whileReading)
        {
            Assert.Equal("failed", (string?)JsonNode.Parse(File.ReadAllText(directory.File("out.raw.partial.report.json")))!["outcome"]);
        }
    }

    [Fact]
    public void Restore_ZstdChecksumByteFlipped_Exit1NamingTheFileAndOffset()
    {
        // The content checksum is the frame's last 4 bytes.
        (FpipeProcess.Outcome run, TempDirectory directory) = RestoreDamaged(fixture, "ext4.pc.zst",
            "n=$(stat -c %s ext4.pc.zst) && printf '\\x00\\x00' | dd of=ext4.pc.zst bs=1 seek=$((n - 2)) conv=notrunc status=none", "ext4.pc.zst");
        using (directory)
        {
            AssertFailedWithOneLine(run, directory, "ext4.pc.zst: zstd data at byte ", whileReading: true);
            Assert.Contains("checksum", run.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Restore_SplitSetWithTruncatedLastPiece_Exit1NamingThePieceAndItsEnd()
    {
        (FpipeProcess.Outcome run, TempDirectory directory) = RestoreDamaged(fixture, "sda1.ext4-ptcl-img.gz.a?",
            "last=$(ls sda1.ext4-ptcl-img.gz.a? | tail -1) && truncate -s -7 $last && echo $last > last.txt", "sda1.ext4-ptcl-img.gz.aa");
        using (directory)
        {
            string last = File.ReadAllText(directory.File("last.txt")).Trim();
            long end = new FileInfo(directory.File(last)).Length;
            AssertFailedWithOneLine(run, directory, $"{last}: gzip data at byte {end}: gzip data ends inside a member", whileReading: true);
        }
    }

    [Fact]
    public void Restore_SplitSetWithShortMiddlePiece_Exit1NamingIt()
    {
        (FpipeProcess.Outcome run, TempDirectory directory) = RestoreDamaged(fixture, "sda2.ext4-ptcl-img.zst.aa?",
            "truncate -s 999000 sda2.ext4-ptcl-img.zst.aab", "sda2.ext4-ptcl-img.zst.aaa");
        using (directory)
        {
            AssertFailedWithOneLine(run, directory, $"{directory.File("sda2.ext4-ptcl-img.zst.aab")}: split piece at byte 999000: ", whileReading: false);
        }
    }

    [Fact]
    public void Restore_SplitSetWithMissingPiece_Exit1NamingIt()
    {
        (FpipeProcess.Outcome run, TempDirectory directory) = RestoreDamaged(fixture, "sda1.ext4-ptcl-img.gz.a?",
            "rm sda1.ext4-ptcl-img.gz.ac", "sda1.ext4-ptcl-img.gz.aa");
        using (directory)
        {
            AssertFailedWithOneLine(run, directory, $"{directory.File("sda1.ext4-ptcl-img.gz.ac")}: split piece at byte 0: missing from the split set", whileReading: false);
        }
    }
}
