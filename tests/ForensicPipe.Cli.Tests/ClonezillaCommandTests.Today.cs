namespace ForensicPipe.Cli.Tests;

/// <summary>Today's folders (partclone 0.3.47 -a3 into zstd, committed) and split sets (pigz cut into 1 MB pieces):
/// the restored MBR disk checks clean and mounts, verify catches any flipped byte and a missing piece.</summary>
public sealed partial class ClonezillaCommandTests
{
    [Fact]
    public void Restore_TodaysMbrDisk_EveryPartitionChecksCleanAndTheExt4MountsThroughALoopDevice()
    {
        string work = fixture.NewOutputFolder();
        string output = Path.Combine(work, "disk.raw");
        FpipeProcess.Outcome restore = FpipeProcess.Run(fixture.Root, "restore", fixture.Folder("mbr", "zst"), output, "--fill", "zero", "-q");
        Assert.True(restore.ExitCode == 0, restore.Stderr);
        string inside = Path.Combine(work, "inside");
        Directory.CreateDirectory(inside);

        // e2fsck -fn and fsck.vfat -n exit 0 only for a clean file system; the ext4 is mounted read-only through a loop
        // device at its offset and its file read back. The trap unmounts and detaches whatever a failure leaves.
        string numbers = ExternalTool.Shell(work,
            $"set -e; d='{output}'; trap 'umount \"{inside}\" 2>/dev/null || true; for l in $(losetup -j \"$d\" | cut -d: -f1); do losetup -d $l; done' EXIT; " +
            $"l=$(losetup -f --show -r -o {2048 * Sector} --sizelimit {40960 * Sector} \"$d\"); e2fsck -fn $l >/dev/null 2>&1; " +
            $"mount -t ext4 -o ro $l '{inside}'; tail -n 1 '{inside}/numbers.txt'; umount '{inside}'; losetup -d $l; " +
            $"l=$(losetup -f --show -r -o {53248 * Sector} --sizelimit {77824 * Sector} \"$d\"); fsck.vfat -n $l >/dev/null; losetup -d $l");

        Assert.Equal("100000\n", numbers);
        Assert.Equal("", LoopDevice.AttachedTo(output));
    }

    [Theory]
    [InlineData("gpt")]
    [InlineData("mbr")]
    public void Verify_TodaysFolder_ChecksAllFourManifestsAndTheXxhGroups(string layout)
    {
        FpipeProcess.Outcome outcome = FpipeProcess.Run(fixture.NewOutputFolder(), "verify", fixture.Folder(layout, "zst"));

        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        int files = Directory.GetFiles(fixture.Folder(layout, "zst")).Length;
        Assert.Contains($"manifests: MD5SUMS, SHA1SUMS, B2SUMS, B3SUMS: {4 * (files - 4) + 6} file check(s), 0 mismatch(es), 0 missing", outcome.Stderr);
    }

    [Fact]
    public void Verify_TodaysFolder_FlippedByteInAnyStoredFileOrManifest_ExitsThreeNamingIt()
    {
        string[] names = [.. Directory.GetFiles(fixture.Folder("gpt", "zst")).Select(file => Path.GetFileName(file)!)];
        Assert.Contains("sda2.ext4-ptcl-img.zst", names);
        foreach (string name in names)
        {
            string folder = fixture.CopyOf("gpt", "zst");
            string file = Path.Combine(folder, name);
            if (name.EndsWith("SUMS", StringComparison.Ordinal))
            {
                // In a manifest, a digit of its first digest (a byte of a file name would make it list a missing file).
                byte[] bytes = File.ReadAllBytes(file);
                bytes[0] = bytes[0] == (byte)'0' ? (byte)'1' : (byte)'0';
                File.WriteAllBytes(file, bytes);
            }
            else
            {
                FlipByte(file);
            }

            FpipeProcess.Outcome outcome = FpipeProcess.Run(fixture.NewOutputFolder(), "verify", folder, "-q");

            Assert.True(outcome.ExitCode == 3, $"{name}: exit {outcome.ExitCode}\n{outcome.Stderr}");
            // A manifest is listed by the manifests written after it; B3SUMS, the last, by none: its changed line 1
            // no longer matches the file it names.
            Assert.Contains(name == "B3SUMS" ? "B3SUMS line 1: " : $"{name}: MISMATCH", outcome.Stderr);
        }
    }

    [Fact]
    public void Verify_TodaysImageWithoutManifests_FlippedByteIsCaughtByItsXxhGroup()
    {
        // Without manifests, the XXH3-128 groups of partclone 0.3.47 catch a flipped byte inside the zstd stream's data
        // (zstd's own checksum is off by default, -3 without --check: the frame decodes to other bytes).
        string folder = fixture.CopyOf("mbr", "zst");
        foreach (string manifest in Directory.GetFiles(folder, "*SUMS"))
        {
            File.Delete(manifest);
        }
        string image = Path.Combine(folder, "sda1.ext4-ptcl-img.zst");
        ExternalTool.Shell(folder, $"zstd -dcq '{image}' > plain && printf '\\x55' | dd of=plain bs=1 seek=$(( $(stat -c %s plain) - 5000 )) conv=notrunc status=none && zstd -q -3 -f plain -o '{image}' && rm plain");

        FpipeProcess.Outcome outcome = FpipeProcess.Run(fixture.NewOutputFolder(), "verify", folder, "-q");

        Assert.True(outcome.ExitCode == 3, outcome.Stderr);
        Assert.Contains("sda1 (sda1.ext4-ptcl-img.zst): group", outcome.Stderr);
    }

    [Fact]
    public void Verify_SplitFolder_FlippedByteInAnyPiece_ExitsThreeNamingThePiece()
    {
        string[] pieces = [.. Directory.GetFiles(fixture.Folder("gpt", "gz-split"), "*-ptcl-img.gz.a?").Select(file => Path.GetFileName(file)!)];
        Assert.Contains("sda2.ext4-ptcl-img.gz.ab", pieces);
        foreach (string name in pieces)
        {
            string folder = fixture.CopyOf("gpt", "gz-split");
            FlipByte(Path.Combine(folder, name));

            FpipeProcess.Outcome outcome = FpipeProcess.Run(fixture.NewOutputFolder(), "verify", folder, "-q");

            Assert.True(outcome.ExitCode == 3, $"{name}: exit {outcome.ExitCode}\n{outcome.Stderr}");
            Assert.Contains($"{name}: MISMATCH", outcome.Stderr);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Verify_SplitFolderWithAMissingPiece_FailsNamingThePiece(bool withManifests)
    {
        string folder = fixture.CopyOf("gpt", "gz-split");
        File.Delete(Path.Combine(folder, "sda2.ext4-ptcl-img.gz.ab"));
        if (!withManifests)
        {
            foreach (string manifest in Directory.GetFiles(folder, "*SUMS"))
            {
                File.Delete(manifest);
            }
        }

        FpipeProcess.Outcome outcome = FpipeProcess.Run(fixture.NewOutputFolder(), "verify", folder, "-q");

        Assert.True(outcome.ExitCode is 1 or 2, $"exit {outcome.ExitCode}\n{outcome.Stderr}");
        Assert.Contains(withManifests ? "sda2.ext4-ptcl-img.gz.ab: MISSING" : "sda2.ext4-ptcl-img.gz.ab", outcome.Stderr);
    }

    private static void FlipByte(string file)
    {
        byte[] bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(file, bytes);
    }
}
