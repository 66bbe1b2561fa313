using System.ComponentModel;
using ForensicPipe.Core.Jobs.Specs;

namespace ForensicPipe.Formats.Clonezilla;

/// <summary>A Clonezilla image folder of a saved disk, read as the whole disk restoredisk writes back
/// (docs/formats/clonezilla.md); <see cref="SourceSpec.Path"/> is the folder.</summary>
[Description("A Clonezilla savedisk folder, read as the whole disk restoredisk writes back; the path is the folder.")]
public sealed class ClonezillaSourceSpec : SourceSpec
{
    /// <summary>Which saved disk (<c>sda</c>) when the folder holds several; default: the only one.</summary>
    [Description("Which saved disk (sda) when the folder holds several; default: the only one.")]
    public string? Disk { get; init; }

    /// <summary>Only this partition (<c>sda2</c>), as a partition-sized source; default: the whole disk.</summary>
    [Description("Only this partition (sda2); default: the whole disk.")]
    public string? Partition { get; init; }

    /// <summary>What each swap partition becomes: <see cref="ClonezillaSwapMode.Mkswap"/> (default) or
    /// <see cref="ClonezillaSwapMode.Zeros"/>.</summary>
    [Description("What each swap partition becomes: mkswap (default: the header mkswap -L LABEL -U UUID writes on a blank partition, from swappt-*.info) or zeros (the whole partition).")]
    public ClonezillaSwapMode Swap { get; set; } = ClonezillaSwapMode.Mkswap;

    /// <summary>Whether the report holds the SHA-256 of each partition's bytes (default true); it costs a SHA-256 of
    /// every partition whole.</summary>
    [Description("Whether the report holds the SHA-256 of each partition's bytes (absent bytes as zeros); default true. It costs a SHA-256 of every partition whole.")]
    public bool PartitionDigests { get; set; } = true;
}
