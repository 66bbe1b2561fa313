using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json.Nodes;
using ForensicPipe.Formats.Checksums;

namespace ForensicPipe.Cli.Tests;

/// <summary>Hostile header sizes, a full file system, sidecars after --overwrite and the checksum group named on
/// a mismatch, through the real fpipe process.</summary>
public class OutputSafetyCommandTests
{
    private const long SixteenTebibytes = 16L << 40;

    // partclone 0002 header (docs/formats/partclone.md): device_size (u64) at byte 52, the header's pc-crc
    // (CRC-32 register seeded 0xFFFFFFFF, no final inversion) over bytes 0..105 at byte 106.
    private const int DeviceSizeOffset = 52;
    private const int HeaderCrcOffset = 106;

    /// <summary>An ext4 image from partclone.extfs, 1 KiB blocks, checksum groups of 1024 blocks.</summary>
    private static string PartcloneImage(TempDirectory directory)
    {
        ExternalTool.Shell(directory.Path,
            "mkdir src && for i in 1 2 3; do head -c $((i * 400000)) /dev/urandom > src/f$i.bin; done " +
            "&& mke2fs -q -F -t ext4 -b 1024 -d src ext4.raw 8M && partclone.extfs -q -c -s ext4.raw -O ext4.pc -L /dev/null >/dev/null 2>&1");
        return directory.File("ext4.pc");
    }

    /// <summary>The image with device_size set to 16 TiB and the header CRC recomputed, as the mutation campaign did.</summary>
    private static string ClaimSixteenTebibytes(TempDirectory directory, string image)
    {
        byte[] bytes = File.ReadAllBytes(image);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(DeviceSizeOffset), (ulong)SixteenTebibytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(HeaderCrcOffset), Crc32.Update(0xFFFFFFFF, bytes.AsSpan(0, HeaderCrcOffset)));
        string path = directory.File("claims-16t.pc");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void HeaderClaiming16TiB_InfoWarns_FullRestoreRefusedBeforeWriting_SparseRestoreTakesSeconds()
    {
        using var directory = new TempDirectory();
        string image = ClaimSixteenTebibytes(directory, PartcloneImage(directory));
        using var tmpfs = new TmpfsMount("64m");

        FpipeProcess.Outcome info = FpipeProcess.Run(directory.Path, "info", image);
        Assert.Equal(0, info.ExitCode);
        Assert.Contains($"warning: the header claims a partition of {SixteenTebibytes} bytes", info.Stderr);
        Assert.Contains($"claims a partition of {SixteenTebibytes} bytes", info.Stdout);

        FpipeProcess.Outcome full = FpipeProcess.Run(directory.Path, "restore", image, tmpfs.File("out.raw"), "--fill", "zero");
        Assert.Equal(2, full.ExitCode);
        Assert.Contains($"refused, nothing written: the output needs {SixteenTebibytes} bytes (the partition size), its file system has 67108864 bytes free", full.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(tmpfs.Path));

        var clock = Stopwatch.StartNew();
        FpipeProcess.Outcome sparse = FpipeProcess.Run(directory.Path, "restore", image, tmpfs.File("out.raw"), "--fill", "sparse", "--quiet");
        Assert.True(sparse.ExitCode == 0, sparse.Stderr);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"a sparse restore took {clock.Elapsed}");
        Assert.Equal(SixteenTebibytes, new FileInfo(tmpfs.File("out.raw")).Length);
        JsonNode report = JsonNode.Parse(File.ReadAllText(tmpfs.File("out.raw.report.json")))!;
        Assert.Contains($"claims a partition of {SixteenTebibytes} bytes", (string?)report["warnings"]![0]);
        // The data the image holds matches partclone's own restore of the unmodified image.
        ExternalTool.Shell(directory.Path, $"cmp -n 8388608 ext4.raw '{tmpfs.File("out.raw")}'");
    }

    [Fact]
    public void NtfscloneHeaderClaiming16TiB_FullRestoreRefusedBeforeWriting_SparseRestoreSucceeds()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, "truncate -s 48M ntfs.raw && mkntfs -q -F -f -L big ntfs.raw >/dev/null 2>&1 "
            + "&& ntfsclone -q --save-image -O ntfs.img ntfs.raw >/dev/null 2>&1");
        // ntfsclone's header has no checksum: device_size (u64) at byte 22 (docs/formats/ntfsclone.md).
        byte[] bytes = File.ReadAllBytes(directory.File("ntfs.img"));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(22), (ulong)SixteenTebibytes);
        File.WriteAllBytes(directory.File("big.img"), bytes);
        using var tmpfs = new TmpfsMount("64m");

        FpipeProcess.Outcome full = FpipeProcess.Run(directory.Path, "restore", "big.img", tmpfs.File("out.raw"), "--fill", "zero");
        Assert.Equal(2, full.ExitCode);
        Assert.Contains($"refused, nothing written: the output needs {SixteenTebibytes} bytes", full.Stderr);
        Assert.Contains($"warning: the header claims a partition of {SixteenTebibytes} bytes", full.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(tmpfs.Path));

        FpipeProcess.Outcome sparse = FpipeProcess.Run(directory.Path, "restore", "big.img", tmpfs.File("out.raw"), "--fill", "sparse", "--quiet");
        Assert.True(sparse.ExitCode == 0, sparse.Stderr);
        Assert.Equal(SixteenTebibytes, new FileInfo(tmpfs.File("out.raw")).Length);
        ExternalTool.Shell(directory.Path, $"cmp -n 33554432 ntfs.raw '{tmpfs.File("out.raw")}'");
    }

    [Fact]
    public async Task ImageOntoFullFileSystem_FirstWriteErrorWithItsOffset_AndACompleteReport()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, "head -c 40M /dev/urandom > src.img");
        using var tmpfs = new TmpfsMount("16m");

        // From standard input the size is unknown, so nothing can be refused before writing: the disk fills.
        ProcessStartInfo start = FpipeProcess.StartInfo(directory.Path, ["image", "-", tmpfs.File("out.raw")]);
        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        try
        {
            await using FileStream input = File.OpenRead(directory.File("src.img"));
            await input.CopyToAsync(process.StandardInput.BaseStream);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // fpipe stopped reading once the write failed.
        }
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)));

        Assert.Equal(1, process.ExitCode);
        string[] lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string partial = tmpfs.File("out.raw.partial");
        Assert.StartsWith($"fpipe: {partial}: write failed: No space left on device at byte ", lines[0]);
        long offset = long.Parse(lines[0][(lines[0].LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(offset, 1, 16L << 20);
        Assert.DoesNotContain(lines, line => line.Contains("report.json", StringComparison.Ordinal) && !line.Contains("report: ", StringComparison.Ordinal));
        JsonNode report = JsonNode.Parse(File.ReadAllText(tmpfs.File("out.raw.partial.report.json")))!;
        Assert.Equal("failed", (string?)report["outcome"]);
        Assert.False((bool)report["complete"]!);
        Assert.Equal(lines[0]["fpipe: ".Length..], (string?)report["error"]);
        JsonNode sink = report["sinks"]![0]!["details"]!;
        Assert.Equal(offset, (long)sink["writtenUpTo"]!);
        Assert.Equal(partial, (string?)sink["path"]);
        Assert.NotNull(report["hashes"]);
        Assert.Contains("Outcome:   failed", File.ReadAllText(tmpfs.File("out.raw.partial.report.txt")));
        Assert.False(File.Exists(tmpfs.File("out.raw.partial.report.json.partial")));
        await stdout;
    }

    [Fact]
    public void ImageOverwrite_WithOtherSourceAndDefaultDigests_LeavesNoSidecarOfTheEarlierRun()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, "head -c 3M /dev/urandom > a.img && head -c 2M /dev/urandom > b.img");
        Assert.Equal(0, FpipeProcess.Run(directory.Path, "image", "a.img", "out.raw", "--hash", "md5,sha1,sha256", "--quiet").ExitCode);
        ExternalTool.Shell(directory.Path, "sha1sum -c out.raw.sha1");

        FpipeProcess.Outcome second = FpipeProcess.Run(directory.Path, "image", "b.img", "out.raw", "--overwrite", "--quiet");

        Assert.Equal(0, second.ExitCode);
        Assert.False(File.Exists(directory.File("out.raw.sha1")), "a stale out.raw.sha1 survived --overwrite");
        ExternalTool.Shell(directory.Path, "cmp b.img out.raw && md5sum -c out.raw.md5 && sha256sum -c out.raw.sha256");
        Assert.Equal(["out.raw.md5", "out.raw.sha256"], Directory.GetFiles(directory.Path)
            .Select(path => Path.GetFileName(path))
            .Where(name => name.StartsWith("out.raw.", StringComparison.Ordinal) && !name.Contains("report", StringComparison.Ordinal))
            .Order().ToArray());
    }

    [Fact]
    public void Restore_SeveralDamagedGroupsInOneBuffer_FailNamesTheFirst()
    {
        using var directory = new TempDirectory();
        string image = PartcloneImage(directory);
        byte[] bytes = File.ReadAllBytes(image);
        // One flipped byte in each of three checksum groups (1 MiB of data apart), all in the used data.
        foreach (int offset in (int[])[700_000, 1_800_000, 2_900_000])
        {
            bytes[offset] ^= 0x5A;
        }
        File.WriteAllBytes(image, bytes);

        FpipeProcess.Outcome recorded = FpipeProcess.Run(directory.Path, "restore", image, "all.raw", "--on-mismatch", "record",
            "--buffer-size", "67108864", "--quiet");
        Assert.Equal(3, recorded.ExitCode);
        JsonArray mismatches = JsonNode.Parse(File.ReadAllText(directory.File("all.raw.report.json")))!["verification"]!["mismatchList"]!.AsArray();
        Assert.True(mismatches.Count >= 2, $"only {mismatches.Count} damaged group(s) found");

        FpipeProcess.Outcome failed = FpipeProcess.Run(directory.Path, "restore", image, "first.raw", "--buffer-size", "67108864", "--quiet");

        Assert.Equal(3, failed.ExitCode);
        // The error line; the mismatches the verifier found in the same buffer are listed after it.
        string error = failed.Stderr.Split('\n').Single(line => line.StartsWith("fpipe: ", StringComparison.Ordinal));
        Assert.Equal($"fpipe: checksum mismatch: {mismatches[0]}", error);
    }
}
