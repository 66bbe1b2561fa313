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
}
