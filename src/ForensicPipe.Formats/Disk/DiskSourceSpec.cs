using System.ComponentModel;
using ForensicPipe.Core.Jobs.Specs;

namespace ForensicPipe.Formats.Disk;

/// <summary>A whole disk assembled from pieces at byte offsets (docs/architecture.md, "Composite disk"):
/// byte ranges of files, partition images of any registered format, generated swap headers; what no piece
/// covers is absent (zeros in a raw output).</summary>
[Description("A disk of a given size assembled from pieces at byte offsets; what no piece covers is absent. The path names the disk in the report.")]
public sealed class DiskSourceSpec : SourceSpec
{
    /// <summary>Bytes of the disk.</summary>
    [Description("Bytes of the disk.")]
    public required long Size { get; init; }

    /// <summary>The pieces, in any order; they may not overlap or reach past <see cref="Size"/>.</summary>
    [Description("The pieces, in any order; they may not overlap or reach past the size.")]
    public IReadOnlyList<DiskPieceSpec> Pieces { get; set; } = [];
}
