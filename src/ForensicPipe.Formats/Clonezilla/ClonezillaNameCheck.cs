using ForensicPipe.Formats.Input;

namespace ForensicPipe.Formats.Clonezilla;

/// <summary>
/// Weighs what a Clonezilla image name says (<see cref="ClonezillaImageName"/>) against what the bytes say: the
/// format the magic recognised, the compression the input layer found, and the file system the header names.
/// Each disagreement is one warning; the bytes are what fpipe reads.
/// </summary>
public static class ClonezillaNameCheck
{
    /// <summary>The warnings for an image named <paramref name="name"/> whose bytes are <paramref name="format"/>
    /// (a registry type: partclone, ntfsclone, partimage…), compressed as <paramref name="compression"/>, with the
    /// header's file system <paramref name="headerFileSystem"/> (null when the format names none).</summary>
    public static IReadOnlyList<string> Disagreements(ClonezillaImageName name, string format, ImageCompression compression, string? headerFileSystem)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(format);
        var warnings = new List<string>();
        if (name.Tool != format)
        {
            warnings.Add($"the file name says {Article(name.Tool)} {name.Tool} image, the bytes are {Article(format)} {format} image");
        }
        if (name.Compression is ImageCompression named && named != compression)
        {
            warnings.Add($"the file name says {Say(named)}, the bytes are {Say(compression)}");
        }
        if (name.FileSystem is string claimed && headerFileSystem is not null
            && Family(claimed) is string claimedFamily && Family(headerFileSystem) is string headerFamily && claimedFamily != headerFamily)
        {
            warnings.Add($"the file name says file system {claimed}, the header says {headerFileSystem}");
        }
        return warnings;
    }

    // The names are tools and formats said letter by letter or as words: "an ntfsclone", "an e01", "a partclone".
    private static string Article(string word) => word[0] is 'a' or 'e' or 'i' or 'o' or 'u' or 'n' ? "an" : "a";

    private static string Say(ImageCompression compression) =>
        compression == ImageCompression.None ? "uncompressed" : $"{compression.ToString().ToLowerInvariant()}-compressed";

    // partclone's header names the file system as its tool does (EXTFS for ext2/3/4, FAT12/16/32, HFS+…) while the
    // name uses the file system's own name (ext4, vfat, hfsplus); compare the families, and stay silent on a name
    // this table does not know.
    private static string? Family(string fileSystem) => fileSystem.ToLowerInvariant() switch
    {
        "ext2" or "ext3" or "ext4" or "extfs" => "ext",
        "vfat" or "fat" or "fat12" or "fat16" or "fat32" => "fat",
        "hfsplus" or "hfs+" or "hfsp" => "hfsplus",
        "ntfs" or "btrfs" or "xfs" or "exfat" or "f2fs" or "reiserfs" or "reiser4" or "jfs" or "nilfs2" or "ufs" or "minix" or "vmfs" => fileSystem.ToLowerInvariant(),
        _ => null,
    };
}
