using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ForensicPipe.Cli.Tests.Mount;

namespace ForensicPipe.Cli.Tests.E01;

/// <summary>
/// E01 outputs and inputs through the fpipe process: <c>fpipe image SRC NAME.E01</c> and <c>fpipe restore IMAGE
/// NAME.E01</c> checked by the peers (ewfverify, ewfinfo, ewfexport), ewfacquire's sets verified, restored and
/// mounted by us, damaged and hostile sets refused with the segment and offset, and the E01 options refused
/// where they do not apply.
/// </summary>
public sealed class E01CommandTests : IClassFixture<PartcloneImageFixture>
{
    private readonly PartcloneImageFixture _partclone;

    public E01CommandTests(PartcloneImageFixture partclone) => _partclone = partclone;

    /// <summary>3 000 random sectors, 3 000 of repeated text, 1 400 of zeros: 3.6 MiB that compresses in parts.</summary>
    private static string MakeSource(TempDirectory directory)
    {
        ExternalTool.Shell(directory.Path,
            "{ head -c 1536000 /dev/urandom; yes 'ForensicPipe E01 command test text' | head -c 1536000; head -c 716800 /dev/zero; } > src.raw");
        return directory.File("src.raw");
    }

    private static string Md5(string path) => Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(path)));

    private static string Sha1(string path) => Convert.ToHexStringLower(SHA1.HashData(File.ReadAllBytes(path)));

    private static string Ewf(string directory, string command) => ExternalTool.Shell(directory, command);

    private static void AssertExportEquals(string directory, string set, string expected)
    {
        Ewf(directory, $"ewfexport -u -q -f raw -t exported '{set}' >/dev/null");
        Assert.True(File.ReadAllBytes(expected).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(directory, "exported.raw"))),
            $"ewfexport of {set} differs from {expected}");
        File.Delete(Path.Combine(directory, "exported.raw"));
    }

    [Theory]
    [InlineData("none", "1M")]
    [InlineData("fast", "1MiB")]
    [InlineData("best", "")]
    public void Image_RawToE01_PeersAcceptTheSetWithItsCaseAndDigests(string compression, string segmentSize)
    {
        using var directory = new TempDirectory();
        string source = MakeSource(directory);
        List<string> arguments = ["image", "src.raw", "evidence.E01", "--compression", compression, "--hash", "md5,sha1,sha256",
            "--case-number", "2026-114", "--evidence-number", "E-7", "--examiner", "J. Doe", "--description", "USB stick", "--notes", "seized 1 Dec"];
        if (segmentSize.Length > 0)
        {
            arguments.AddRange(["--segment-size", segmentSize]);
        }

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, [.. arguments]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        string md5 = Md5(source), sha1 = Sha1(source);
        string verify = Ewf(directory.Path, "ewfverify -q -d sha1 evidence.E01");
        Assert.Contains($"MD5 hash stored in file:\t\t{md5}", verify);
        Assert.Contains($"MD5 hash calculated over data:\t\t{md5}", verify);
        Assert.Contains(sha1, verify);
        Assert.Contains("ewfverify: SUCCESS", verify);
        string info = Ewf(directory.Path, "ewfinfo evidence.E01");
        Assert.Contains("Case number:\t\t2026-114", info);
        Assert.Contains("Evidence number:\tE-7", info);
        Assert.Contains("Examiner name:\t\tJ. Doe", info);
        Assert.Contains("Description:\t\tUSB stick", info);
        Assert.Contains("Notes:\t\t\tseized 1 Dec", info);
        Assert.Contains("Bytes per sector:\t512", info);
        Assert.Contains("Number of sectors:\t7400", info);
        Assert.Contains(compression == "none" ? "no compression" : compression == "fast" ? "good (fast) compression" : "best compression", info);
        AssertExportEquals(directory.Path, "evidence.E01", source);
        string[] segments = [.. Directory.GetFiles(directory.Path, "evidence.E*").Where(path => Path.GetExtension(path) is { Length: 4 } extension && extension.StartsWith(".E", StringComparison.Ordinal))];
        Assert.True(segmentSize.Length > 0 ? segments.Length >= 2 : segments.Length == 1, string.Join(", ", segments));
        Assert.All(segments, segment => Assert.True(segmentSize.Length == 0 || new FileInfo(segment).Length <= 1 << 20, segment));
        Assert.Empty(Directory.GetFiles(directory.Path, "*.partial*"));
        // The digests live in the container and the report; md5sum-style sidecars would check the container's bytes, not the media.
        Assert.Empty(Directory.GetFiles(directory.Path, "evidence.E01.md5"));
        JsonNode report = JsonNode.Parse(File.ReadAllText(directory.File("evidence.E01.report.json")))!;
        Assert.Equal("2026-114", (string?)report["case"]!["number"]);
        Assert.Equal(md5, (string?)report["sinks"]![0]!["details"]!["md5"]);
        Assert.Equal(sha1, (string?)report["sinks"]![0]!["details"]!["sha1"]);
        Assert.Contains($"sha256  {ExternalTool.Digest("sha256", source)}", run.Stderr);
    }

    [Fact]
    public void Image_StreamEndingInsideASector_HashesAreOfTheStreamTheSetHoldsItPadded()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, "head -c 1000001 /dev/urandom > odd.raw && head -c 1000001 odd.raw > padded.raw && truncate -s 1000448 padded.raw");

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "image", "odd.raw", "odd.E01", "--hash", "md5,sha1,sha256");

        Assert.True(run.ExitCode == 0, run.Stderr);
        JsonNode report = JsonNode.Parse(File.ReadAllText(directory.File("odd.E01.report.json")))!;
        JsonArray hashes = report["hashes"]!.AsArray();
        // MD5 and SHA-1 come from the sink, which hashed the same bytes (the stream, before its last sector's padding).
        Assert.Equal(Md5(directory.File("odd.raw")), (string?)hashes[0]!["digest"]);
        Assert.Equal(Sha1(directory.File("odd.raw")), (string?)hashes[1]!["digest"]);
        Assert.NotNull((string?)hashes[0]!["computedBy"]);
        Assert.Equal(1000001L, (long?)hashes[0]!["bytes"]);
        Assert.Null(hashes[2]!["computedBy"]);
        Assert.Equal(ExternalTool.Digest("sha256", directory.File("odd.raw")), (string?)hashes[2]!["digest"]);
        Assert.Equal(Md5(directory.File("padded.raw")), (string?)report["sinks"]![0]!["details"]!["md5"]);
        Assert.Contains($"MD5 hash calculated over data:\t\t{Md5(directory.File("padded.raw"))}", Ewf(directory.Path, "ewfverify -q odd.E01"));
    }

    [Fact]
    public void Image_E01WithVerifyAndSync_ReadBackMatchesAndNamesTheMethod()
    {
        using var directory = new TempDirectory();
        string source = MakeSource(directory);

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "image", "src.raw", "rb.e01", "--verify", "--sync", "--segment-size", "1M");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains($"read-back of {directory.File("rb.e01")}: md5 sent {Md5(source)}, read back {Md5(source)}: match", run.Stderr);
        JsonNode details = JsonNode.Parse(File.ReadAllText(directory.File("rb.e01.report.json")))!["sinks"]![0]!["details"]!;
        Assert.True((bool?)details["verify"]!["match"]);
        Assert.Equal(3788800L, (long?)details["verify"]!["bytesReadBack"]);
        Assert.NotNull((string?)details["sync"]);
        // The extension's case is kept for every segment.
        Assert.True(File.Exists(directory.File("rb.e02")));
        Ewf(directory.Path, "ewfverify -q rb.e01");
    }

    [Fact]
    public void Restore_PartcloneImageToE01_OneCommandGivesAContainerOfThePartition()
    {
        using var directory = new TempDirectory();

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "restore", _partclone.File("ext4.pc"), "part.E01", "--fill", "zero",
            "--examiner", "Restorer", "--compression", "best", "--sectors-per-chunk", "128");

        Assert.True(run.ExitCode == 0, run.Stderr);
        string info = Ewf(directory.Path, "ewfinfo part.E01");
        Assert.Contains("Examiner name:\t\tRestorer", info);
        Assert.Contains("Sectors per chunk:\t128", info);
        Assert.Contains("ewfverify: SUCCESS", Ewf(directory.Path, "ewfverify -q part.E01"));
        AssertExportEquals(directory.Path, "part.E01", _partclone.File("partclone-restored.raw"));
    }

    [Theory]
    [InlineData("none", "16", "1048576")]
    [InlineData("fast", "64", "1048576")]
    [InlineData("best", "256", "0")]
    public void VerifyRestoreMount_EwfacquireSet_ReadByteForByte(string compression, string sectorsPerChunk, string segmentSize)
    {
        using var directory = new TempDirectory();
        string source = MakeSource(directory);
        Ewf(directory.Path, $"ewfacquire -u -q -c {compression} -b {sectorsPerChunk} -d sha1 -C AQ-1 -e Peer " +
            (segmentSize == "0" ? "" : $"-S {segmentSize} ") + "-t acq src.raw >/dev/null");
        Assert.True(segmentSize == "0" || File.Exists(directory.File("acq.E02")), "ewfacquire -S made one segment");

        FpipeProcess.Outcome verify = FpipeProcess.Run(directory.Path, "verify", "acq.E01");
        FpipeProcess.Outcome restore = FpipeProcess.Run(directory.Path, "restore", "acq.E01", "back.raw", "--hash", "md5");

        Assert.True(verify.ExitCode == 0, verify.Stderr);
        Assert.Contains("0 mismatch(es)", verify.Stderr);
        Assert.True(restore.ExitCode == 0, restore.Stderr);
        Assert.True(File.ReadAllBytes(source).AsSpan().SequenceEqual(File.ReadAllBytes(directory.File("back.raw"))), "restored media differs");
        using var mounted = new MountedImage(directory.File("acq.E01"), directory.File("mnt"));
        Assert.True(File.ReadAllBytes(source).AsSpan().SequenceEqual(File.ReadAllBytes(mounted.File("acq"))), "mounted media differs");
        Exception? write = Record.Exception(() => File.OpenWrite(mounted.File("acq")).Dispose());
        Assert.True(write is IOException or UnauthorizedAccessException, write?.ToString() ?? "the mounted file opened for writing");
    }

    [Fact]
    public void Mount_OurE01_ServesTheMediaReadOnly()
    {
        using var directory = new TempDirectory();
        string source = MakeSource(directory);
        Assert.Equal(0, FpipeProcess.Run(directory.Path, "image", "src.raw", "ours.E01", "--segment-size", "1M", "--quiet").ExitCode);

        using var mounted = new MountedImage(directory.File("ours.E01"), directory.File("mnt"));

        Assert.Contains("3788800 bytes, e01 image", mounted.Stdout);
        byte[] media = File.ReadAllBytes(source);
        Assert.True(media.AsSpan().SequenceEqual(File.ReadAllBytes(mounted.File("ours"))), "mounted media differs");
        using FileStream file = File.OpenRead(mounted.File("ours"));
        byte[] piece = new byte[70_000];
        file.Position = 1_000_003;
        file.ReadExactly(piece);
        Assert.True(media.AsSpan(1_000_003, piece.Length).SequenceEqual(piece));
    }

    [Fact]
    public void Verify_FlippedByteInAChunkOfTheSecondSegment_Exit3NamingChunkSegmentAndOffset()
    {
        using var directory = new TempDirectory();
        MakeSource(directory);
        Assert.Equal(0, FpipeProcess.Run(directory.Path, "image", "src.raw", "flip.E01", "--compression", "none", "--segment-size", "1M", "-q").ExitCode);
        // Segment 2: file header (13), data section (76 + 1052), sectors descriptor (76), then the first chunk.
        const long firstChunk = 13 + 76 + 1052 + 76;
        using (FileStream segment = File.Open(directory.File("flip.E02"), FileMode.Open, FileAccess.ReadWrite))
        {
            segment.Position = firstChunk + 100;
            int value = segment.ReadByte();
            segment.Position = firstChunk + 100;
            segment.WriteByte((byte)(value ^ 0x01));
        }

        FpipeProcess.Outcome verify = FpipeProcess.Run(directory.Path, "verify", "flip.E01");

        Assert.Equal(3, verify.ExitCode);
        Assert.Matches($@"fpipe: e01: flip\.E02: chunk \d+ at byte {firstChunk}: stored Adler-32 [0-9a-f]{{8}}, computed [0-9a-f]{{8}}", verify.Stderr);
        Assert.Matches(@"verified: \d+ checksum\(s\) passed before the mismatch above stopped the reading", verify.Stderr);
        Assert.DoesNotContain("0 mismatch(es)", verify.Stderr);
        Assert.Contains("VERIFICATION MISMATCH", verify.Stderr);
    }

    [Theory]
    [InlineData("descriptor", "flip.E03: section descriptor checksum at byte 85")]
    [InlineData("truncated", "flip.E03: ")]
    [InlineData("missing", "flip.E02: next section at byte")]
    public void Verify_HostileSegment_OneLineWithSegmentAndOffset(string damage, string expected)
    {
        using var directory = new TempDirectory();
        MakeSource(directory);
        Assert.Equal(0, FpipeProcess.Run(directory.Path, "image", "src.raw", "flip.E01", "--compression", "none", "--segment-size", "1M", "-q").ExitCode);
        string third = directory.File("flip.E03");
        switch (damage)
        {
            case "descriptor":
                using (FileStream segment = File.Open(third, FileMode.Open, FileAccess.ReadWrite))
                {
                    segment.Position = 13 + 16;
                    segment.Write([0xFF, 0xFF, 0xFF, 0x7F]);
                }
                break;
            case "truncated":
                using (FileStream segment = File.Open(third, FileMode.Open, FileAccess.ReadWrite))
                {
                    segment.SetLength(segment.Length / 2);
                }
                break;
            default:
                File.Move(third, directory.File("elsewhere"));
                break;
        }

        FpipeProcess.Outcome verify = FpipeProcess.Run(directory.Path, "verify", "flip.E01", "--quiet");

        Assert.Equal(1, verify.ExitCode);
        string[] lines = verify.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(expected, lines[0]);
        Assert.Matches(@"at byte \d+", lines[0]);
        Assert.DoesNotContain("   at ", verify.Stderr);
    }

    [Theory]
    [InlineData("out.raw", "--compression", "best", "--compression: applies to an E01 output only; out.raw does not end in .E01")]
    [InlineData("out.raw", "--segment-size", "2M", "--segment-size: applies to an E01 output only; out.raw does not end in .E01")]
    [InlineData("-", "--sectors-per-chunk", "128", "--sectors-per-chunk: applies to an E01 output only; standard output does not end in .E01")]
    [InlineData("out.E01", "--split", "1M", "--split: out.E01 is an E01 set, already cut into segment files")]
    [InlineData("out.E01", "--sectors-per-chunk", "48", "--sectors-per-chunk: 48 is not one of 16, 32, 64, 128")]
    [InlineData("out.E01", "--segment-size", "1000K", "--segment-size: 1024000 bytes is less than the smallest segment file, 1MiB")]
    [InlineData("out.E01", "--segment-size", "1.4G", "--segment-size: '1.4G' has an unknown unit")]
    [InlineData("out.E01", "--compression", "max", "--compression: 'max' is not none, fast or best")]
    public void Image_E01OptionMisused_Exit2WithTheFlagNamed(string output, string option, string value, string expected)
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("in.bin"), "evidence");

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "image", "in.bin", output, option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr);
        Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["in.bin"], Directory.GetFiles(directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Restore_E01OptionsForARawOutputOrSparseFill_Exit2()
    {
        using var directory = new TempDirectory();

        FpipeProcess.Outcome raw = FpipeProcess.Run(directory.Path, "restore", _partclone.File("ext4.pc"), "out.raw", "--segment-size", "4M");
        FpipeProcess.Outcome sparse = FpipeProcess.Run(directory.Path, "restore", _partclone.File("ext4.pc"), "out.E01", "--fill", "sparse");

        Assert.Equal(2, raw.ExitCode);
        Assert.Contains("--segment-size: applies to an E01 output only; out.raw does not end in .E01", raw.Stderr);
        Assert.Equal(2, sparse.ExitCode);
        Assert.Contains("--fill: an E01 container has no holes", sparse.Stderr);
        Assert.Empty(Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void Image_ExistingSetOrItsSecondSegment_RefusedUntilOverwriteWhichRemovesTheOldSegments()
    {
        using var directory = new TempDirectory();
        MakeSource(directory);
        Assert.Equal(0, FpipeProcess.Run(directory.Path, "image", "src.raw", "set.E01", "--compression", "none", "--segment-size", "1M", "-q").ExitCode);
        Assert.True(File.Exists(directory.File("set.E04")));
        string before = Md5(directory.File("set.E01"));

        FpipeProcess.Outcome again = FpipeProcess.Run(directory.Path, "image", "src.raw", "set.E01");
        File.Move(directory.File("set.E01"), directory.File("kept.E01"));
        FpipeProcess.Outcome orphan = FpipeProcess.Run(directory.Path, "image", "src.raw", "set.E01");
        File.Move(directory.File("kept.E01"), directory.File("set.E01"));
        ExternalTool.Shell(directory.Path, "head -c 100000 src.raw > small.raw");
        FpipeProcess.Outcome replaced = FpipeProcess.Run(directory.Path, "image", "small.raw", "set.E01", "--overwrite", "-q");

        Assert.Equal(2, again.ExitCode);
        Assert.Contains("set.E01 exists; add --overwrite", again.Stderr);
        Assert.Equal(2, orphan.ExitCode);
        Assert.Contains("set.E02 exists (a segment of an earlier set); add --overwrite to replace that set", orphan.Stderr);
        Assert.Equal(0, replaced.ExitCode);
        Assert.NotEqual(before, Md5(directory.File("set.E01")));
        Assert.False(File.Exists(directory.File("set.E02")), "a segment of the replaced set is left");
        Assert.Contains("ewfverify: SUCCESS", Ewf(directory.Path, "ewfverify -q set.E01"));
    }

    [Fact]
    public void Restore_TruncatedImageToE01_LeavesPartialSegmentsAndAPartialReport()
    {
        using var directory = new TempDirectory();
        long length = new FileInfo(_partclone.File("ext4.pc")).Length;
        ExternalTool.Shell(directory.Path, $"head -c {length * 3 / 4} '{_partclone.File("ext4.pc")}' > cut.pc");

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "restore", "cut.pc", "cut.E01", "--segment-size", "1M");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FAILED (outputs left as .partial)", run.Stderr);
        Assert.False(File.Exists(directory.File("cut.E01")));
        Assert.True(File.Exists(directory.File("cut.E01.partial")));
        Assert.True(File.Exists(directory.File("cut.E01.partial.report.json")), string.Join(", ", Directory.GetFiles(directory.Path)));
        Assert.False(File.Exists(directory.File("cut.E01.report.json")));
        JsonNode report = JsonNode.Parse(File.ReadAllText(directory.File("cut.E01.partial.report.json")))!;
        Assert.Equal("failed", (string?)report["outcome"]);
        Assert.False((bool?)report["sinks"]![0]!["details"]!["complete"]);
    }
}
