using ForensicPipe.Core.Errors;

namespace ForensicPipe.Formats.Disk;

/// <summary>Checks a composite disk's pieces before anything is opened: positive sizes, pieces inside the disk, no
/// two pieces overlapping; orders them by offset.</summary>
public static class DiskLayout
{
    /// <summary>The pieces in offset order.</summary>
    /// <param name="size">Bytes of the disk.</param>
    /// <param name="pieces">The pieces in any order.</param>
    /// <param name="source">Where the layout comes from (job file or folder), for messages.</param>
    /// <exception cref="JobValidationException">A piece is empty, negative, past the end or overlaps another.</exception>
    public static IReadOnlyList<DiskPiece> Order(long size, IEnumerable<DiskPiece> pieces, string source)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        if (size <= 0)
        {
            throw new JobValidationException(source, "$.source.size", $"disk size {size} is not a positive number of bytes");
        }
        DiskPiece[] ordered = [.. pieces.OrderBy(piece => piece.Offset).ThenBy(piece => piece.Length)];
        DiskPiece? previous = null;
        foreach (DiskPiece piece in ordered)
        {
            if (piece.Offset < 0 || piece.Length <= 0)
            {
                throw new JobValidationException(source, "$.source.pieces",
                    $"{piece.Name}: offset {piece.Offset} and length {piece.Length} do not make a piece of the disk");
            }
            if (piece.Length > size - piece.Offset)
            {
                throw new JobValidationException(source, "$.source.pieces",
                    $"{piece.Name}: bytes {piece.Offset}..{piece.End} reach past the end of the {size}-byte disk");
            }
            if (previous is not null && piece.Offset < previous.End)
            {
                throw new JobValidationException(source, "$.source.pieces",
                    $"{piece.Name} (bytes {piece.Offset}..{piece.End}) overlaps {previous.Name} (bytes {previous.Offset}..{previous.End})");
            }
            previous = piece;
        }
        return ordered;
    }
}
