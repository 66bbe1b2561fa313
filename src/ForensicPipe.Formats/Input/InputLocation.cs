namespace ForensicPipe.Formats.Input;

/// <summary>Where a byte of a raw (still compressed) input lies: the file — the piece, for a split set — and the offset
/// in that file.</summary>
/// <param name="Path">The file, as given or as found beside the given piece.</param>
/// <param name="Offset">The byte offset in <paramref name="Path"/>.</param>
internal readonly record struct InputLocation(string Path, long Offset)
{
    /// <summary>"<c>PATH at byte OFFSET</c>".</summary>
    public override string ToString() => $"{Path} at byte {Offset}";
}
