using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ForensicPipe.Cli.Tests.Clonezilla;

namespace ForensicPipe.Cli.Tests;

/// <summary>
/// <c>fpipe info|verify|restore FOLDER</c> on Clonezilla savedisk folders made with the real tools
/// (<see cref="ClonezillaFolderFixture"/>): the restored disk is compared with the disk Clonezilla's own restore
/// commands rebuild and with the original; damaged and inconsistent folders are refused with one line.
/// </summary>
public sealed partial class ClonezillaCommandTests(ClonezillaFolderFixture fixture) : IClassFixture<ClonezillaFolderFixture>
{
    private const long Sector = 512;

    [Theory]
    [InlineData("gpt", "gz")]
    [InlineData("mbr", "gz")]
    [InlineData("mbr", "uncomp")]
    [InlineData("gpt", "uncomp")]
    [InlineData("gpt", "gz-split")]
    [InlineData("gpt", "zst")]
    [InlineData("mbr", "zst")]
    public void Restore_SavedDisk_IsByteIdenticalToClonezillasOwnRestore(string layout, string compression)
    {
        string output = Path.Combine(fixture.NewOutputFolder(), "disk.raw");

        FpipeProcess.Outcome outcome = FpipeProcess.Run(fixture.Root, "restore", fixture.Folder(layout, compression), output, "--fill", "zero", "-q");

        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        Assert.Equal(fixture.RebuiltSha256(layout, compression), Sha256(output));
    }

    [Fact]
    public void Restore_MbrDisk_IsTheOriginalDisk()
    {
        // Every file system of the MBR disk is imaged whole (ext4, FAT16, raw bytes), the boot code and hidden data
        // are saved: the restore is the disk as it was.
        string output = Path.Combine(fixture.NewOutputFolder(), "disk.raw");

        FpipeProcess.Outcome outcome = FpipeProcess.Run(fixture.Root, "restore", fixture.Folder("mbr"), output, "--fill", "zero", "-q");

        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        Assert.Equal(Sha256(fixture.Original("mbr")), Sha256(output));
    }

    [Fact]
    public void Restore_GptDisk_IsTheOriginalOutsideTheNtfsBackupBootSector()
    {
        // partclone.ntfs does not image the NTFS backup boot sector (the partition's last sector); everything else
        // of the original disk comes back.
        string output = Path.Combine(fixture.NewOutputFolder(), "disk.raw");
        FpipeProcess.Outcome outcome = FpipeProcess.Run(fixture.Root, "restore", fixture.Folder("gpt"), output, "--fill", "zero", "-q");
        Assert.True(outcome.ExitCode == 0, outcome.Stderr);

        long ntfsLastSector = (149504 + 32768 - 1) * Sector;
        byte[] restored = File.ReadAllBytes(output);
        byte[] original = File.ReadAllBytes(fixture.Original("gpt"));
        Assert.Equal(original.Length, restored.Length);
        Assert.True(original.AsSpan(0, (int)ntfsLastSector).SequenceEqual(restored.AsSpan(0, (int)ntfsLastSector)));
        Assert.True(original.AsSpan((int)(ntfsLastSector + Sector)).SequenceEqual(restored.AsSpan((int)(ntfsLastSector + Sector))));
        Assert.False(original.AsSpan((int)ntfsLastSector, (int)Sector).SequenceEqual(restored.AsSpan((int)ntfsLastSector, (int)Sector)));
    }

    [Theory]
    [InlineData("gpt", "gz")]
    [InlineData("mbr", "gz")]
    [InlineData("gpt", "zst")]
    [InlineData("mbr", "zst")]
    public void Restore_SavedDisk_SfdiskDumpEqualsTheSavedPtSf(string layout, string compression)
    {
        string output = Path.Combine(fixture.NewOutputFolder(), "disk.raw");
        Assert.Equal(0, FpipeProcess.Run(fixture.Root, "restore", fixture.Folder(layout, compression), output, "--fill", "zero", "-q").ExitCode);

        string dump = ExternalTool.Shell(fixture.Root, $"sfdisk -d '{output}' | sed 's|{output}|/dev/sda|g'");

        Assert.Equal(File.ReadAllText(Path.Combine(fixture.Folder(layout, compression), "sda-pt.sf")), dump);
    }

    [Theory]
    [InlineData("gz")]
    [InlineData("zst")]
    public void Restore_GptDisk_EveryPartitionChecksCleanThroughALoopDevice(string compression)
    {
        string output = Path.Combine(fixture.NewOutputFolder(), "disk.raw");
        FpipeProcess.Outcome restore = FpipeProcess.Run(fixture.Root, "restore", fixture.Folder("gpt", compression), output, "--fill", "zero", "-q");
        Assert.True(restore.ExitCode == 0, restore.Stderr);

        // fsck.vfat -n and e2fsck -fn exit 0 only for a clean file system; ntfs-3g.probe only when the NTFS mounts (its
        // backup boot sector, which partclone.ntfs does not image, is missing after Clonezilla's own restore too, so
        // ntfsfix -n would fail on both); blkid reads the recreated swap. The trap detaches what a failure leaves.
        string report = ExternalTool.Shell(fixture.Root,
            $"set -e; d='{output}'; trap 'for l in $(losetup -j \"$d\" | cut -d: -f1); do losetup -d $l; done' EXIT; " +
            $"l=$(losetup -f --show -o {2048 * Sector} --sizelimit {81920 * Sector} \"$d\"); fsck.vfat -n $l >/dev/null; losetup -d $l; " +
            $"l=$(losetup -f --show -o {83968 * Sector} --sizelimit {49152 * Sector} \"$d\"); e2fsck -fn $l >/dev/null 2>&1; losetup -d $l; " +
            $"l=$(losetup -f --show -o {149504 * Sector} --sizelimit {32768 * Sector} \"$d\"); ntfs-3g.probe --readonly $l; losetup -d $l; " +
            $"l=$(losetup -f --show -o {133120 * Sector} --sizelimit {16384 * Sector} \"$d\"); blkid -c /dev/null -o export $l; losetup -d $l");

        Assert.Contains("TYPE=swap", report);
        Assert.Contains("LABEL=swappy", report);
        Assert.Contains("UUID=0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", report);
        Assert.Equal("", LoopDevice.AttachedTo(output));
    }

    [Fact]
    public void Restore_MbrDisk_ReportHasTheDiskAndEachPartitionDigest()
    {
        string output = Path.Combine(fixture.NewOutputFolder(), "disk.raw");
        Assert.Equal(0, FpipeProcess.Run(fixture.Root, "restore", fixture.Folder("mbr"), output, "--fill", "zero", "-q").ExitCode);

        JsonNode report = JsonNode.Parse(File.ReadAllText(output + ".report.json"))!;
        string text = report.ToJsonString();

        Assert.Contains(Sha256(output), text);
        byte[] disk = File.ReadAllBytes(output);
        foreach ((long start, long size) in new[] { (2048L, 40960L), (43008L, 8192L), (53248L, 77824L) })
        {
            Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(disk.AsSpan((int)(start * Sector), (int)(size * Sector)))), text);
        }
    }

    [Fact]
    public void Restore_OnePartition_IsThatPartitionOfTheOriginal()
    {
        string output = Path.Combine(fixture.NewOutputFolder(), "sda5.raw");

        FpipeProcess.Outcome outcome = FpipeProcess.Run(fixture.Root, "restore", fixture.Folder("mbr"), output, "--partition", "sda5", "--fill", "zero", "-q");

        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        byte[] original = File.ReadAllBytes(fixture.Original("mbr"));
        Assert.True(original.AsSpan((int)(53248 * Sector), (int)(77824 * Sector)).SequenceEqual(File.ReadAllBytes(output)));
    }

    [Fact]
    public void Restore_OntoALoopDevice_WritesTheDiskAndRefusesASmallerOne()
    {
        string work = fixture.NewOutputFolder();
        string target = Path.Combine(work, "target.raw");
        string small = Path.Combine(work, "small.raw");
        ExternalTool.Shell(work, $"truncate -s {196608 * Sector} '{target}' && truncate -s {196608 * Sector - 4096} '{small}'");
        using (LoopDevice device = LoopDevice.Attach(target))
        {
            FpipeProcess.Outcome outcome = FpipeProcess.Run(work, "restore", fixture.Folder("gpt"), device.Path, "--yes", "--fill", "zero", "-q");
            Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        }
        Assert.Equal(Sha256(fixture.Rebuilt("gpt")), Sha256(target));

        using LoopDevice tooSmall = LoopDevice.Attach(small);
        FpipeProcess.Outcome refused = FpipeProcess.Run(work, "restore", fixture.Folder("gpt"), tooSmall.Path, "--yes", "-q");
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal(new string('\0', 4096), ExternalTool.Shell(work, $"head -c 4096 '{small}'"));
    }

    [Fact]
    public void Info_GptFolder_ListsTableSwapFilesAndManifests()
    {
        FpipeProcess.Outcome outcome = FpipeProcess.Run(fixture.Root, "info", fixture.Folder("gpt"), "--json");

        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        JsonNode info = JsonNode.Parse(outcome.Stdout)!;
        Assert.Equal("gpt", (string?)info["label"]);
        Assert.Equal(512, (int)info["sectorSize"]!);
        Assert.Equal(196608 * Sector, (long)info["size"]!);
        JsonArray partitions = info["partitions"]!.AsArray();
        Assert.Equal(["sda1", "sda2", "sda3", "sda4"], partitions.Select(p => (string?)p!["name"]));
        Assert.Equal(["image", "image", "swap", "image"], partitions.Select(p => (string?)p!["role"]));
        Assert.Equal("partclone", (string?)partitions[1]!["format"]);
        Assert.Equal("gzip", (string?)partitions[1]!["compression"]);
        Assert.Equal("ext4", (string?)partitions[1]!["fs"]);
        Assert.Equal(new FileInfo(Path.Combine(fixture.Folder("gpt"), "sda2.ext4-ptcl-img.gz")).Length, (long)partitions[1]!["bytesStored"]!);
        Assert.Equal("swappy", (string?)partitions[2]!["swapLabel"]);
        Assert.Equal(["MD5SUMS", "SHA1SUMS", "B2SUMS", "B3SUMS"], info["manifests"]!.AsArray().Select(m => (string?)m));
        Assert.Empty(info["missing"]!.AsArray());
    }

    [Theory]
    [InlineData("gpt")]
    [InlineData("mbr")]
    public void Verify_IntactFolder_ChecksEveryManifestAndImage(string layout)
    {
        FpipeProcess.Outcome outcome = FpipeProcess.Run(fixture.NewOutputFolder(), "verify", fixture.Folder(layout));

        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        int files = Directory.GetFiles(fixture.Folder(layout)).Length;
        // MD5SUMS covers the files before it; each later manifest also the manifests made before it.
        Assert.Contains($"manifests: MD5SUMS, SHA1SUMS, B2SUMS, B3SUMS: {4 * (files - 4) + 6} file check(s), 0 mismatch(es), 0 missing", outcome.Stderr);
        Assert.DoesNotContain("unprotected", outcome.Stderr);
    }

    [Fact]
    public void Verify_SameFolderTwice_TwoReportsBesideTheFolderNoneInside()
    {
        string folder = fixture.CopyOf("mbr");
        string[] before = [.. Directory.GetFiles(folder).Order()];

        FpipeProcess.Outcome first = FpipeProcess.Run(fixture.NewOutputFolder(), "verify", folder + "/", "-q");
        FpipeProcess.Outcome second = FpipeProcess.Run(fixture.NewOutputFolder(), "verify", folder, "-q");

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Equal(before, Directory.GetFiles(folder).Order());
        string[] reports = Directory.GetFiles(Path.GetDirectoryName(folder)!, Path.GetFileName(folder) + ".verify.*.report.json");
        Assert.Equal(2, reports.Length);
        Assert.All(reports, report => Assert.Equal("succeeded", (string?)JsonNode.Parse(File.ReadAllText(report))!["outcome"]));
    }

    [Fact]
    public void Verify_FileNoManifestCovers_IsReportedUnprotected()
    {
        string folder = fixture.CopyOf("gpt");
        File.WriteAllText(Path.Combine(folder, "Info-extra.txt"), "added later");

        FpipeProcess.Outcome outcome = FpipeProcess.Run(fixture.NewOutputFolder(), "verify", folder);

        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        Assert.Contains("unprotected (in no manifest): Info-extra.txt", outcome.Stderr);
    }

    [Fact]
    public void Verify_FlippedByteInAnyStoredFile_ExitsThreeNamingTheFile()
    {
        string[] names = [.. Directory.GetFiles(fixture.Folder("gpt")).Select(file => Path.GetFileName(file)!).Where(name => !name.EndsWith("SUMS", StringComparison.Ordinal))];
        Assert.Contains("sda2.ext4-ptcl-img.gz", names);
        foreach (string name in names)
        {
            string folder = fixture.CopyOf("gpt");
            string file = Path.Combine(folder, name);
            byte[] bytes = File.ReadAllBytes(file);
            bytes[bytes.Length / 2] ^= 0x01;
            File.WriteAllBytes(file, bytes);

            FpipeProcess.Outcome outcome = FpipeProcess.Run(fixture.NewOutputFolder(), "verify", folder, "-q");

            Assert.True(outcome.ExitCode == 3, $"{name}: exit {outcome.ExitCode}\n{outcome.Stderr}");
            Assert.Contains($"MD5SUMS line", outcome.Stderr);
            Assert.Contains($"{name}: MISMATCH", outcome.Stderr);
        }
    }

    [Fact]
    public void Verify_MissingPiece_ExitsOneNamingIt()
    {
        string folder = fixture.CopyOf("gpt");
        File.Delete(Path.Combine(folder, "sda2.ext4-ptcl-img.gz"));

        FpipeProcess.Outcome outcome = FpipeProcess.Run(fixture.NewOutputFolder(), "verify", folder, "-q");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("sda2.ext4-ptcl-img.gz: MISSING", outcome.Stderr);
    }

    [Fact]
    public void Verify_DamagedDataBlockInAnUncompressedImage_ExitsThreeWithTheImageCheckAndOffset()
    {
        // Without manifests, partclone's own CRC groups catch the damage and name the image, the group and its offset.
        string folder = fixture.CopyOf("mbr", "uncomp");
        foreach (string manifest in Directory.GetFiles(folder, "*SUMS"))
        {
            File.Delete(manifest);
        }
        string image = Path.Combine(folder, "sda1.ext4-ptcl-img.uncomp");
        byte[] bytes = File.ReadAllBytes(image);
        bytes[bytes.Length - 100_000] ^= 0x40;
        File.WriteAllBytes(image, bytes);

        FpipeProcess.Outcome outcome = FpipeProcess.Run(fixture.NewOutputFolder(), "verify", folder, "-q");

        Assert.True(outcome.ExitCode == 3, outcome.Stderr);
        Assert.Contains("sda1 (sda1.ext4-ptcl-img.uncomp): group", outcome.Stderr);
        Assert.Contains("stored at image byte", outcome.Stderr);
        Assert.Contains("manifests: none", FpipeProcess.Run(fixture.NewOutputFolder(), "verify", folder).Stderr);
    }

    [Theory]
    [InlineData("missing image", 2)]
    [InlineData("pt.sf that does not parse", 1)]
    [InlineData("overlapping partitions", 2)]
    [InlineData("partition past the end", 2)]
    [InlineData("image larger than its partition", 2)]
    public void Restore_BadFolder_OneLineAndNoOutput(string damage, int exitCode)
    {
        string folder = fixture.CopyOf("mbr");
        string table = Path.Combine(folder, "sda-pt.sf");
        switch (damage)
        {
            case "missing image":
                File.Delete(Path.Combine(folder, "sda5.vfat-ptcl-img.gz"));
                break;
            case "pt.sf that does not parse":
                File.WriteAllText(table, File.ReadAllText(table).Replace("start=        2048", "start=   two thousand", StringComparison.Ordinal));
                break;
            case "overlapping partitions":
                File.WriteAllText(table, File.ReadAllText(table).Replace("start=       43008", "start=       40000", StringComparison.Ordinal));
                break;
            case "partition past the end":
                string parted = Path.Combine(folder, "sda-pt.parted");
                File.WriteAllText(parted, File.ReadAllText(parted).Replace("131072s", "120000s", StringComparison.Ordinal));
                break;
            case "image larger than its partition":
                File.WriteAllText(table, File.ReadAllText(table).Replace("size=       40960", "size=       30000", StringComparison.Ordinal));
                break;
        }
        string output = Path.Combine(fixture.NewOutputFolder(), "disk.raw");

        FpipeProcess.Outcome outcome = FpipeProcess.Run(fixture.Root, "restore", folder, output, "-q");

        Assert.True(outcome.ExitCode == exitCode, $"exit {outcome.ExitCode}: {outcome.Stderr}");
        Assert.Single(outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(output)!));
    }

    [Fact]
    public void Run_DiskJob_AssemblesPiecesListedInAnyOrder()
    {
        string work = fixture.NewOutputFolder();
        string folder = fixture.Folder("mbr");
        string job = Path.Combine(work, "disk.job.json");
        File.WriteAllText(job, $$"""
            {
              "source": {
                "type": "disk", "path": "mbr-disk", "size": {{131072 * Sector}},
                "pieces": [
                  { "offset": {{53248 * Sector}}, "length": {{77824 * Sector}}, "image": "{{folder}}/sda5.vfat-ptcl-img.gz", "name": "sda5" },
                  { "offset": {{43008 * Sector}}, "length": {{8192 * Sector}}, "image": "{{folder}}/sda2.dd-ptcl-img.gz", "format": "raw" },
                  { "offset": 0, "length": 512, "file": "{{folder}}/sda-mbr" },
                  { "offset": {{51200 * Sector}}, "length": 512, "file": "{{folder}}/sda3-ebr" },
                  { "offset": {{2048 * Sector}}, "length": {{40960 * Sector}}, "image": "{{folder}}/sda1.ext4-ptcl-img.gz" },
                  { "offset": 512, "length": {{2047 * Sector}}, "file": "{{folder}}/sda-hidden-data-after-mbr" }
                ]
              },
              "stages": [ { "type": "verify" }, { "type": "fill", "pattern": "zero" } ],
              "sinks": [ { "type": "raw-file", "path": "disk.raw" } ]
            }
            """);

        FpipeProcess.Outcome outcome = FpipeProcess.Run(work, "run", job, "-q");

        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        Assert.Equal(Sha256(fixture.Original("mbr")), Sha256(Path.Combine(work, "disk.raw")));
    }

    [Fact]
    public void Validate_DiskJobWithAnUnknownPieceField_ExitsTwoNamingIt()
    {
        string work = fixture.NewOutputFolder();
        string job = Path.Combine(work, "bad.job.json");
        File.WriteAllText(job, """
            { "source": { "type": "disk", "path": "d", "size": 4096, "pieces": [ { "offset": 0, "length": 512, "file": "x", "sise": 1 } ] },
              "sinks": [ { "type": "null" } ] }
            """);

        FpipeProcess.Outcome outcome = FpipeProcess.Run(work, "validate", job);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("sise", outcome.Stderr);
    }

    private static string Sha256(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
