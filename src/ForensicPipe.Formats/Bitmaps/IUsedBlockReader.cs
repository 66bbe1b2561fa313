namespace ForensicPipe.Formats.Bitmaps;

/// <summary>The format-specific half of <see cref="BitmapRandomReader"/>: where the stored bytes of used blocks lie
/// in the image, by rank.</summary>
internal interface IUsedBlockReader
{
    /// <summary>Fills <paramref name="destination"/> with stored bytes of consecutive used blocks, starting
    /// <paramref name="inBlock"/> bytes into the used block of rank <paramref name="rank"/> (the number of used blocks
    /// before it).</summary>
    void ReadUsed(long rank, long inBlock, Span<byte> destination);
}
