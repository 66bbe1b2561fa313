using ForensicPipe.Cli.Tests.Mount;
using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Cli.Tests;

/// <summary><c>fpipe mount FOLDER MOUNTPOINT</c> through the real /dev/fuse: the served disk is the disk fpipe restores
/// and Clonezilla's commands rebuild, its partitions check clean and mount through <c>losetup -o</c> on the served file;
/// compressed and bad folders are refused with one line and nothing mounted.</summary>
public sealed partial class ClonezillaCommandTests
{
    [Theory]
    [InlineData("gpt", new[] { "sda1", "sda2", "sda3", "sda4" })]
    [InlineData("mbr", new[] { "sda1", "sda2", "sda5" })]
    public void Mount_UncompressedFolder_DiskFileIsTheRestoredDiskAndEachPartitionFileItsSlice(string layout, string[] partitions)
    {
        string work = fixture.NewOutputFolder();
        string restored = Path.Combine(work, "disk.raw");
        FpipeProcess.Outcome restore = FpipeProcess.Run(work, "restore", fixture.Folder(layout, "uncomp"), restored, "--fill", "zero", "-q");
        Assert.True(restore.ExitCode == 0, restore.Stderr);
        using var mounted = new MountedImage(fixture.Folder(layout, "uncomp"), Path.Combine(work, "mnt"));

        Assert.Equal(["sda", .. partitions], Directory.GetFiles(mounted.MountPoint).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(FileHash.Sha256(restored), FileHash.Sha256(mounted.File("sda")));
        Assert.Equal(fixture.RebuiltSha256(layout, "uncomp"), FileHash.Sha256(mounted.File("sda")));
        AssertRandomReadsEqual(mounted.File("sda"), restored, layout.Length);
        foreach (string partition in partitions)
        {
            (long start, long size) = PartitionOf(layout, partition);
            Assert.Equal(size * Sector, new FileInfo(mounted.File(partition)).Length);
            Assert.Equal(Sha256Of(restored, start * Sector, size * Sector), FileHash.Sha256(mounted.File(partition)));
        }
        Assert.Contains($"fdisk -l '{mounted.File("sda")}'", mounted.Stdout);
        Assert.Contains($"e2fsck -fn '{mounted.File(layout == "gpt" ? "sda2" : "sda1")}'", mounted.Stdout);
    }

    [Fact]
    public void Mount_GptFolder_PartitionsOfTheServedDiskCheckCleanAndMountThroughLosetupOffsets()
    {
        string work = fixture.NewOutputFolder();
        using var mounted = new MountedImage(fixture.Folder("gpt", "uncomp"), Path.Combine(work, "mnt"));
        string disk = mounted.File("sda");
        string inside = Path.Combine(work, "inside");
        Directory.CreateDirectory(inside);

        // Read-only loop devices at each partition's offset in the served disk file; the trap unmounts and detaches
        // whatever a failure leaves, before the FUSE mount goes.
        string report = ExternalTool.Shell(work,
            $"set -e; d='{disk}'; trap 'umount \"{inside}\" 2>/dev/null || true; for l in $(losetup -j \"$d\" | cut -d: -f1); do losetup -d $l; done' EXIT; " +
            "sfdisk -d \"$d\" | grep -c '^/'; " +
            $"l=$(losetup -f --show -r -o {2048 * Sector} --sizelimit {81920 * Sector} \"$d\"); fsck.vfat -n $l >/dev/null; losetup -d $l; " +
            $"l=$(losetup -f --show -r -o {83968 * Sector} --sizelimit {49152 * Sector} \"$d\"); e2fsck -fn $l >/dev/null 2>&1; " +
            $"mount -t ext4 -o ro $l '{inside}'; tail -n 1 '{inside}/numbers.txt'; umount '{inside}'; losetup -d $l; " +
            $"l=$(losetup -f --show -r -o {149504 * Sector} --sizelimit {32768 * Sector} \"$d\"); ntfs-3g.probe --readonly $l; losetup -d $l; " +
            $"l=$(losetup -f --show -r -o {133120 * Sector} --sizelimit {16384 * Sector} \"$d\"); blkid -c /dev/null -o export $l | grep -E '^(TYPE|LABEL)='; losetup -d $l");

        Assert.Equal("4\n200000\nLABEL=swappy\nTYPE=swap\n", report);
        Assert.Equal("", LoopDevice.AttachedTo(disk));
    }

    [Fact]
    public void Mount_OnePartition_ServesThatPartitionAlone()
    {
        string work = fixture.NewOutputFolder();
        using var mounted = new MountedImage(fixture.Folder("mbr", "uncomp"), Path.Combine(work, "mnt"), "--partition", "sda5");

        Assert.Equal(["sda5"], Directory.GetFiles(mounted.MountPoint).Select(Path.GetFileName));
        Assert.Equal(Sha256Of(fixture.Original("mbr", "uncomp"), 53248 * Sector, 77824 * Sector), FileHash.Sha256(mounted.File("sda5")));
        Assert.Contains($"fsck.vfat -n '{mounted.File("sda5")}'", mounted.Stdout);
    }

    [Theory]
    [InlineData("gz", "sda1.vfat-ptcl-img.gz is gzip-compressed")]
    [InlineData("zst", "sda1.vfat-ptcl-img.zst is zstd-compressed")]
    public void Mount_CompressedFolder_RefusedInOneLineWithTheRestoreCommand(string compression, string reason)
    {
        string folder = fixture.Folder("gpt", compression);
        string mountPoint = Path.Combine(fixture.NewOutputFolder(), "mnt");
        Directory.CreateDirectory(mountPoint);

        FpipeProcess.Outcome outcome = FpipeProcess.Run(fixture.Root, "mount", folder, mountPoint);

        Assert.True(outcome.ExitCode == 2, $"exit {outcome.ExitCode}: {outcome.Stderr}");
        Assert.Single(outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(reason, outcome.Stderr);
        Assert.Contains($"fpipe restore '{folder}' sda.raw --fill zero", outcome.Stderr);
        Assert.False(MountedImage.IsMounted(mountPoint));
    }

    [Theory]
    [InlineData("missing image", 2)]
    [InlineData("pt.sf that does not parse", 1)]
    [InlineData("overlapping partitions", 2)]
    [InlineData("partition past the end", 2)]
    [InlineData("image larger than its partition", 2)]
    [InlineData("no such partition", 2)]
    public void Mount_BadFolder_OneLineAndNothingMounted(string damage, int exitCode)
    {
        string folder = fixture.CopyOf("mbr", "uncomp");
        string table = Path.Combine(folder, "sda-pt.sf");
        string[] options = [];
        switch (damage)
        {
            case "missing image":
                File.Delete(Path.Combine(folder, "sda5.vfat-ptcl-img.uncomp"));
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
            case "no such partition":
                options = ["--partition", "sda9"];
                break;
        }
        string mountPoint = Path.Combine(fixture.NewOutputFolder(), "mnt");
        Directory.CreateDirectory(mountPoint);

        FpipeProcess.Outcome outcome = FpipeProcess.Run(fixture.Root, ["mount", folder, mountPoint, .. options]);

        Assert.True(outcome.ExitCode == exitCode, $"exit {outcome.ExitCode}: {outcome.Stderr}");
        Assert.Single(outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(MountedImage.IsMounted(mountPoint));
    }

    private static (long Start, long Size) PartitionOf(string layout, string partition) => (layout, partition) switch
    {
        ("gpt", "sda1") => (2048, 81920),
        ("gpt", "sda2") => (83968, 49152),
        ("gpt", "sda3") => (133120, 16384),
        ("gpt", "sda4") => (149504, 32768),
        ("mbr", "sda1") => (2048, 40960),
        ("mbr", "sda2") => (43008, 8192),
        ("mbr", "sda5") => (53248, 77824),
        _ => throw new ArgumentException($"{layout} {partition}"),
    };

    private static int ReadFully(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            int n = RandomAccess.Read(handle, buffer[done..], offset + done);
            if (n == 0)
            {
                break;
            }
            done += n;
        }
        return done;
    }

    private static string Sha256Of(string file, long offset, long length)
    {
        using SafeFileHandle handle = File.OpenHandle(file);
        byte[] bytes = new byte[length];
        Assert.Equal((int)length, ReadFully(handle, bytes, offset));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
    }

    private static void AssertRandomReadsEqual(string servedFile, string reference, int seed)
    {
        using SafeFileHandle served = File.OpenHandle(servedFile, options: FileOptions.RandomAccess);
        using SafeFileHandle expected = File.OpenHandle(reference, options: FileOptions.RandomAccess);
        long size = RandomAccess.GetLength(expected);
        var random = new Random(seed);
        byte[] ours = new byte[300_000];
        byte[] theirs = new byte[ours.Length];
        for (int i = 0; i < 1000; i++)
        {
            long offset = random.NextInt64(0, size + 100);
            int length = random.Next(1, ours.Length);
            int got = ReadFully(served, ours.AsSpan(0, length), offset);
            int want = ReadFully(expected, theirs.AsSpan(0, length), offset);
            Assert.Equal(want, got);
            Assert.True(ours.AsSpan(0, got).SequenceEqual(theirs.AsSpan(0, want)), $"bytes differ at [{offset}, +{length})");
        }
    }
}
