using System.Text.Json.Nodes;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Formats.Clonezilla;
using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Registry;
using ForensicPipe.Formats.Tests.Partclone;

namespace ForensicPipe.Formats.Tests.Clonezilla;

/// <summary>
/// What a Clonezilla image name says (<see cref="ClonezillaImageName"/>) and where it disagrees with the bytes
/// (<see cref="ClonezillaNameCheck"/>), down to the warnings every reader opened through the registry carries.
/// </summary>
public sealed class ClonezillaImageNameTests
{
    [Theory]
    [InlineData("sda1.ext4-ptcl-img.zst", "sda1", "partclone", "ext4", "zst", null)]
    [InlineData("nvme0n1p3.ntfs-ptcl-img.gz.aa", "nvme0n1p3", "partclone", "ntfs", "gz", "aa")]
    [InlineData("vg0-root.xfs-ptcl-img.uncomp.aab", "vg0-root", "partclone", "xfs", "uncomp", "aab")]
    [InlineData("sdb2.vfat-ptcl-img.lz4", "sdb2", "partclone", "vfat", "lz4", null)]
    [InlineData("sda3.ntfs-img", "sda3", "ntfsclone", "ntfs", null, null)]
    [InlineData("sda3.ntfs-img.ab", "sda3", "ntfsclone", "ntfs", null, "ab")]
    [InlineData("md126.dd-img.aa", "md126", "dd", null, null, "aa")]
    public void TryParse_ClonezillaName_SaysDeviceToolFileSystemCompressionPiece(string file, string device, string tool, string? fileSystem, string? compression, string? piece)
    {
        ClonezillaImageName? name = ClonezillaImageName.TryParse("/srv/images/2026-11-30-img/" + file);

        Assert.Equal(new ClonezillaImageName(device, tool, fileSystem, compression, piece), name);
    }

    [Theory]
    [InlineData("ext4.a2.pc")]
    [InlineData("disk.raw")]
    [InlineData("sda1.ext4-ptcl-img")]
    [InlineData("sda1.ext4-ptcl-img.rar")]
    [InlineData("sda1.ext4-ptcl-img.zst.partial")]
    [InlineData("sda1.aa")]
    public void TryParse_OtherName_IsNull(string file) => Assert.Null(ClonezillaImageName.TryParse(file));

    [Theory]
    [InlineData("zst", ImageCompression.Zstd)]
    [InlineData("gz", ImageCompression.Gzip)]
    [InlineData("bz2", ImageCompression.Bzip2)]
    [InlineData("xz", ImageCompression.Xz)]
    [InlineData("lz4", ImageCompression.Lz4)]
    [InlineData("uncomp", ImageCompression.None)]
    public void Compression_ReadableSuffix_IsTheInputLayersCompression(string suffix, ImageCompression expected)
    {
        ClonezillaImageName name = ClonezillaImageName.TryParse($"sda1.ext4-ptcl-img.{suffix}")!;

        Assert.Equal(expected, name.Compression);
        Assert.False(name.IsUnreadableCompression);
    }

    [Theory]
    [InlineData("ext4", "EXTFS")]
    [InlineData("ext3", "EXTFS")]
    [InlineData("vfat", "FAT32")]
    [InlineData("fat16", "FAT16")]
    [InlineData("ntfs", "NTFS")]
    [InlineData("hfsplus", "HFS+")]
    [InlineData("zfs", "ZFS-ANYTHING")]
    public void Disagreements_SameFileSystemFamilyOrUnknownName_None(string named, string header)
    {
        var name = new ClonezillaImageName("sda1", ClonezillaImageName.Partclone, named, "zst", null);

        Assert.Empty(ClonezillaNameCheck.Disagreements(name, "partclone", ImageCompression.Zstd, header));
    }

    [Fact]
    public void Disagreements_EveryClaimWrong_OneWarningEach()
    {
        var name = new ClonezillaImageName("sda1", ClonezillaImageName.Ntfsclone, "ntfs", null, null);
        var renamed = new ClonezillaImageName("sda2", ClonezillaImageName.Partclone, "ext4", "gz", null);

        Assert.Equal(["the file name says an ntfsclone image, the bytes are a partclone image", "the file name says file system ntfs, the header says FAT16"],
            ClonezillaNameCheck.Disagreements(name, "partclone", ImageCompression.None, "FAT16"));
        Assert.Equal(["the file name says gzip-compressed, the bytes are zstd-compressed", "the file name says file system ext4, the header says BTRFS"],
            ClonezillaNameCheck.Disagreements(renamed, "partclone", ImageCompression.Zstd, "BTRFS"));
    }

    [Fact]
    public async Task Registry_RenamedImage_ReaderCarriesTheNameAndAWarning()
    {
        using var directory = new TempDirectory();
        SyntheticPartcloneImage image = SyntheticPartcloneImage.EdgeCases["synthetic-odd-bs.pc"];
        await File.WriteAllBytesAsync(directory.File("sda1.raw-ptcl-img.zst"), image.ToArray());
        await File.WriteAllBytesAsync(directory.File("plain.pc"), image.ToArray());
        ExternalTool.Shell(directory.Path, "zstd -q -3 plain.pc -o sda2.raw-ptcl-img.zst");

        SourceInfo renamed = await OpenAsync(directory.File("sda1.raw-ptcl-img.zst"));
        SourceInfo named = await OpenAsync(directory.File("sda2.raw-ptcl-img.zst"));
        SourceInfo plain = await OpenAsync(directory.File("plain.pc"));

        Assert.Equal(["the file name says zstd-compressed, the bytes are uncompressed"], renamed.Warnings);
        Assert.Equal("sda1", (string?)renamed.Details!["fileName"]!["device"]);
        Assert.Empty(named.Warnings);
        Assert.Equal("zst", (string?)named.Details!["fileName"]!["compression"]);
        Assert.Null(plain.Details!["fileName"]);
        Assert.Equal(image.Reconstruction().Length, renamed.Size);
    }

    [Fact]
    public void Registry_NameOfACompressionFpipeCannotRead_SaysSoInTheError()
    {
        using var directory = new TempDirectory();
        File.WriteAllBytes(directory.File("sda1.ext4-ptcl-img.lzo"), [0x89, 0x4C, 0x5A, 0x4F, 0x00, 0x0D, 0x0A, 0x1A, 0x0A]);

        var error = Assert.Throws<Core.Errors.ImageFormatException>(() => ImageFormatRegistry.Default.Open(directory.File("sda1.ext4-ptcl-img.lzo")));

        Assert.Contains("the file name says lzo compression, which fpipe does not read", error.Message, StringComparison.Ordinal);
    }

    private static async Task<SourceInfo> OpenAsync(string path)
    {
        using DetectedImage detected = ImageFormatRegistry.Default.Open(path);
        await using IExtentSource reader = detected.OpenSource();
        return await reader.OpenAsync(CancellationToken.None);
    }
}
