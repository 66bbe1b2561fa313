namespace ForensicPipe.Formats.Input;

/// <summary>One file of a <see cref="SplitSet"/>.</summary>
/// <param name="Path">The file.</param>
/// <param name="Start">Offset of its first byte in the set.</param>
/// <param name="Length">Its size when the set was found.</param>
internal sealed record SplitPiece(string Path, long Start, long Length)
{
    /// <summary>Offset of the byte after its last in the set.</summary>
    public long End => Start + Length;
}
