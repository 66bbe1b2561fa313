using System.Text;
using ForensicPipe.Formats.Clonezilla;

namespace ForensicPipe.Fuzz.Targets;

/// <summary>
/// A Clonezilla savedisk folder's metadata: the input holds the files of <see cref="Files"/> in that order, separated
/// by <see cref="Separator"/> lines (a missing section: no file). The folder also holds empty image files named as
/// <c>ocs-sr</c> names them. It is opened (<c>disk</c>, <c>parts</c>, <c>sda-pt.sf</c>, sizes, swap info), laid out as
/// restoredisk writes it back (<see cref="ClonezillaFolder.BuildPieces"/>: MBR, GPT copies, hidden data, EBRs), and
/// its manifests are checked.
/// </summary>
public sealed class ClonezillaFolderTarget : FuzzTarget
{
    /// <summary>The line between two files of an input.</summary>
    public const string Separator = "\n@@\n";

    /// <summary>The metadata files, in input order.</summary>
    public static IReadOnlyList<string> Files { get; } =
    [
        "disk", "parts", "sda-pt.sf", "sda-pt.parted", "sda-mbr", "sda-hidden-data-after-mbr",
        "sda-gpt-1st", "sda-gpt-2nd", "sda4-ebr", "swappt-sda3.info", "MD5SUMS", "SHA1SUMS", "B2SUMS",
    ];

    private static readonly string[] s_images =
        ["sda1.vfat-ptcl-img.gz.aa", "sda2.ext4-ptcl-img.zst", "sda4.ntfs-img", "sda5.dd-img.aa", "sda6.fat16-ptcl-img"];

    private static readonly byte[] s_separator = Encoding.ASCII.GetBytes(Separator);

    /// <inheritdoc />
    public override string Name => "clonezilla";

    /// <inheritdoc />
    public override string Description => "Clonezilla folder metadata: ClonezillaFolder.Open, BuildPieces, ClonezillaManifests.Check";

    /// <inheritdoc />
    public override void Run(ReadOnlySpan<byte> input, FuzzScratch scratch)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        string folder = Path.Combine(scratch.Folder, "image");
        Directory.CreateDirectory(folder);
        foreach (string image in s_images)
        {
            File.WriteAllBytes(Path.Combine(folder, image), []);
        }
        ReadOnlySpan<byte> rest = input;
        for (int i = 0; i < Files.Count && !rest.IsEmpty; i++)
        {
            int end = rest.IndexOf(s_separator);
            ReadOnlySpan<byte> content = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + s_separator.Length)..];
            // An empty section leaves the file out (an input can say "no sda-mbr").
            if (!content.IsEmpty)
            {
                File.WriteAllBytes(Path.Combine(folder, Files[i]), content.ToArray());
            }
        }
        ClonezillaFolder opened = ClonezillaFolder.Open(folder);
        opened.BuildPieces();
        ClonezillaManifests.Check(folder);
    }
}
