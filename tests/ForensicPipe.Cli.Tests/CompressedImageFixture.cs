namespace ForensicPipe.Cli.Tests;

/// <summary>
/// Clonezilla's ways of storing an image, made with the real tools around a partclone image (the ext4 of
/// <see cref="PartcloneImageFixture"/>), an ntfsclone image and a partimage image: zstd (one frame, several, without
/// checksum, after a skippable frame), pigz, gzip members, xz blocks, lz4, and split sets with 2- and 3-letter and
/// widening suffixes, on a size-limited tmpfs; plus fpipe's restore of each plain image for comparison.
/// </summary>
public sealed class CompressedImageFixture : IDisposable
{
    private readonly PartcloneImageFixture _partclone = new();
    private readonly TmpfsDirectory _directory = new(megabytes: 320);

    public CompressedImageFixture()
    {
        ExternalTool.Shell(Folder,
            $"cp '{_partclone.File("ext4.pc")}' ext4.pc && n=$(stat -c %s ext4.pc) && third=$((n / 3)) " +
            "&& zstd -q -T0 -3 -c ext4.pc > ext4.pc.zst " +
            "&& { head -c $third ext4.pc | zstd -q -c; tail -c +$((third + 1)) ext4.pc | head -c $third | zstd -q -c; tail -c +$((2 * third + 1)) ext4.pc | zstd -q -c; } > ext4.multi.zst " +
            "&& zstd -q --no-check -c ext4.pc > ext4.nocheck.zst " +
            // A skippable frame (magic 0x184D2A50, 16 bytes of payload) before the data, as zstd's format allows.
            "&& { printf '\\x50\\x2a\\x4d\\x18\\x10\\x00\\x00\\x00'; head -c 16 /dev/zero; cat ext4.pc.zst; } > ext4.skip.zst " +
            "&& pigz -c ext4.pc > ext4.pc.gz " +
            "&& { head -c $third ext4.pc | gzip -c; tail -c +$((third + 1)) ext4.pc | gzip -c; } > ext4.members.gz " +
            "&& xz -T0 --block-size=1MiB -c ext4.pc > ext4.pc.xz " +
            "&& lz4 -q -c ext4.pc > ext4.pc.lz4 " +
            "&& pigz -c ext4.pc | split -a 2 -b 1000000 - sda1.ext4-ptcl-img.gz. " +
            "&& zstd -q -T0 -3 -c ext4.pc | split -a 3 -b 1000000 - sda2.ext4-ptcl-img.zst. " +
            "&& split -a 2 -b 3000000 ext4.pc sda3.ext4-ptcl-img. " +
            "&& pigz -c ext4.pc | split -b 5000 - sda4.ext4-ptcl-img.gz. " +
            $"&& cp '{_partclone.File("ext4.raw")}' ext4.raw");
        ExternalTool.Shell(Folder,
            "truncate -s 32M ntfs.raw && mkntfs -q -F -f -L fpcz ntfs.raw >/dev/null 2>&1 " +
            "&& ntfsclone -q --save-image -O ntfs.img ntfs.raw >/dev/null 2>&1 " +
            "&& gzip -c ntfs.img | split -a 2 -b 100000 - sda5.ntfs-img. && split -a 2 -b 300000 ntfs.img sda6.ntfs-img. && rm ntfs.raw");
        // partimage needs a block device; the loop device is detached also on failure.
        ExternalTool.Shell(Folder,
            "mke2fs -q -F -t ext2 -b 1024 -L fpcz tiny.raw 2M && L=$(losetup -f --show -r tiny.raw) " +
            "&& trap 'losetup -d $L' EXIT && partimage -b -o -d -z0 save $L $PWD/tiny.pimg >/dev/null 2>&1 " +
            "&& gzip -c tiny.pimg.000 | split -a 2 -b 300 - hda1. && split -a 2 -b 10000 tiny.pimg.000 hdb1.");
        foreach (string plain in new[] { "ext4.pc", "ntfs.img", "tiny.pimg.000" })
        {
            FpipeProcess.Outcome run = FpipeProcess.Run(Folder, "restore", plain, plain + ".restored", "--quiet");
            if (run.ExitCode != 0)
            {
                throw new InvalidOperationException($"fpipe restore {plain}: {run.Stderr}");
            }
        }
    }

    /// <summary>The tmpfs folder holding everything.</summary>
    public string Folder => _directory.Path;

    public string File(string name) => _directory.File(name);

    public void Dispose()
    {
        _directory.Dispose();
        _partclone.Dispose();
    }
}
