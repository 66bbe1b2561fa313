using System.ComponentModel;

namespace ForensicPipe.Formats.Disk;

/// <summary>One piece of a <see cref="DiskSourceSpec"/>: exactly one of <see cref="File"/>, <see cref="Image"/>
/// and <see cref="Swap"/>.</summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed class DiskPieceSpec
{
    /// <summary>Disk byte offset of the piece's first byte.</summary>
    [Description("Disk byte offset of the piece's first byte.")]
    public required long Offset { get; init; }

    /// <summary>Bytes the piece occupies: the range copied from <see cref="File"/>, or the partition size of an
    /// image or swap piece (an image shorter than it is padded with absent bytes; a longer one is refused).</summary>
    [Description("Bytes the piece occupies: the range copied from a file, or the partition size of an image or swap piece.")]
    public required long Length { get; init; }

    /// <summary>A name for messages and the report (<c>sda1</c>, <c>mbr boot code</c>); default: the file name.</summary>
    [Description("A name for messages and the report.")]
    public string? Name { get; init; }

    /// <summary>Raw bytes: this file from <see cref="FileOffset"/>, <see cref="Length"/> bytes of it.</summary>
    [Description("Raw bytes: Length bytes of this file from FileOffset.")]
    public string? File { get; init; }

    /// <summary>Where in <see cref="File"/> the bytes start.</summary>
    [Description("Where in the file the bytes start.")]
    public long FileOffset { get; init; }

    /// <summary>A partition image (first piece of a split set; compressed or not), reconstructed at
    /// <see cref="Offset"/>.</summary>
    [Description("A partition image (compressed or not; the first piece of a split set), reconstructed at the offset.")]
    public string? Image { get; init; }

    /// <summary>The image's format type (<c>partclone</c>, …), or <c>raw</c> for bytes stored as they are
    /// (partclone.dd); default: detected from the image's first bytes.</summary>
    [Description("The image's format (partclone, ntfsclone, partimage, or raw for plain bytes); default: detected.")]
    public string? Format { get; init; }

    /// <summary>A swap area written as <c>mkswap</c> writes it on a blank partition.</summary>
    [Description("A swap area as mkswap -L LABEL -U UUID writes it on a blank partition.")]
    public DiskSwapSpec? Swap { get; init; }
}
