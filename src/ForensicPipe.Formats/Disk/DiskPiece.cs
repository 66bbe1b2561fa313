using System.Text.Json.Nodes;

namespace ForensicPipe.Formats.Disk;

/// <summary>One validated piece of a composite disk (<see cref="DiskSource"/>).</summary>
/// <param name="Kind">What the piece holds.</param>
/// <param name="Name">Its name in messages and the report.</param>
/// <param name="Offset">Disk byte offset of its first byte.</param>
/// <param name="Length">Bytes it occupies on the disk.</param>
/// <param name="Path">The file it comes from (absolute), or null for a swap header.</param>
public sealed record DiskPiece(DiskPieceKind Kind, string Name, long Offset, long Length, string? Path)
{
    /// <summary>Where in <see cref="Path"/> a <see cref="DiskPieceKind.Bytes"/> piece starts.</summary>
    public long FileOffset { get; init; }

    /// <summary>The format type of an <see cref="DiskPieceKind.Image"/> piece, or null to detect it.</summary>
    public string? Format { get; init; }

    /// <summary>The swap area's UUID and label (<see cref="DiskPieceKind.Swap"/>).</summary>
    public DiskSwapSpec? Swap { get; init; }

    /// <summary>Whether the piece is a partition (an image or swap) rather than bytes of the disk's metadata.</summary>
    public bool IsPartition => Kind is not DiskPieceKind.Bytes;

    /// <summary>Disk offset just past the piece.</summary>
    public long End => Offset + Length;

    /// <summary>The piece as the report and <c>info</c> list it: name, kind, place on the disk, file.</summary>
    public JsonObject Describe() => new()
    {
        ["name"] = Name,
        ["kind"] = Kind.ToString().ToLowerInvariant(),
        ["offset"] = Offset,
        ["length"] = Length,
        ["file"] = Path,
    };
}
