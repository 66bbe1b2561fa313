using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ForensicPipe.Formats.Input;

namespace ForensicPipe.Formats.Clonezilla;

/// <summary>
/// What the name of a Clonezilla partition image says (docs/formats/clonezilla.md, "Image file names"):
/// <c>DEV.FS-ptcl-img.COMP[.aa]</c> for partclone, <c>DEV.ntfs-img[.aa]</c> for ntfsclone, <c>DEV.dd-img[.aa]</c>
/// for dd. The name is written by Clonezilla and can be wrong after a rename; the bytes decide what the image
/// is, and <see cref="ClonezillaNameCheck"/> says where the two disagree.
/// </summary>
public sealed partial record ClonezillaImageName(string Device, string Tool, string? FileSystem, string? CompressionSuffix, string? Piece)
{
    /// <summary>The tool name of partclone images (<c>-ptcl-img</c>).</summary>
    public const string Partclone = "partclone";

    /// <summary>The tool name of ntfsclone images (<c>.ntfs-img</c>).</summary>
    public const string Ntfsclone = "ntfsclone";

    /// <summary>The tool name of dd images (<c>.dd-img</c>).</summary>
    public const string Dd = "dd";

    /// <summary>The compression a name's suffix stands for, or null for the suffixes fpipe does not read
    /// (<c>lzo</c>, <c>lzma</c>, <c>lzip</c>, <c>lrz</c>) and for names without one (ntfsclone, dd: only the
    /// bytes say).</summary>
    public ImageCompression? Compression => CompressionSuffix switch
    {
        "uncomp" => ImageCompression.None,
        "gz" => ImageCompression.Gzip,
        "bz2" => ImageCompression.Bzip2,
        "xz" => ImageCompression.Xz,
        "lz4" => ImageCompression.Lz4,
        "zst" => ImageCompression.Zstd,
        _ => null,
    };

    /// <summary>Whether the suffix names a compressor whose streams fpipe cannot read.</summary>
    public bool IsUnreadableCompression => CompressionSuffix is "lzo" or "lzma" or "lzip" or "lrz";

    /// <summary>Parses the file name of <paramref name="path"/>; null when it is not a Clonezilla image name.</summary>
    public static ClonezillaImageName? TryParse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Match match = Name().Match(Path.GetFileName(path));
        if (!match.Success)
        {
            return null;
        }
        string? Group(string name) => match.Groups[name].Success ? match.Groups[name].Value : null;
        string tool = match.Groups["ptcl"].Success ? Partclone : match.Groups["ntfs"].Success ? Ntfsclone : Dd;
        return new ClonezillaImageName(match.Groups["dev"].Value, tool,
            Group("fs") ?? (tool == Ntfsclone ? "ntfs" : null), Group("comp"), Group("piece"));
    }

    /// <summary>The name's claims, for <c>fpipe info</c> and the report.</summary>
    public JsonObject Describe() => new()
    {
        ["device"] = Device,
        ["tool"] = Tool,
        ["fileSystem"] = FileSystem,
        ["compression"] = CompressionSuffix,
        ["piece"] = Piece,
    };

    // Device names (sda1, nvme0n1p3, md126, an LVM vg-lv) hold no dot; the compression suffixes are the ones
    // Clonezilla's ocs-sr writes; a split piece adds .aa (2 letters, 3 on WebDAV targets, 4 after yz → zaaa).
    [GeneratedRegex(@"^(?<dev>[A-Za-z0-9_+:-]+)\.(?:(?<fs>[a-z0-9_+]+)-(?<ptcl>ptcl)-img\.(?<comp>gz|bz2|lzo|lzma|xz|lzip|lrz|lz4|zst|uncomp)|(?<ntfs>ntfs)-img|dd-img)(?:\.(?<piece>[a-z]{2,4}))?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Name();
}
