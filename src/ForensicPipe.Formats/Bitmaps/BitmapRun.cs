namespace ForensicPipe.Formats.Bitmaps;

/// <summary>A maximal run of blocks whose bits in a block bitmap are equal: <paramref name="Count"/> blocks from
/// <paramref name="FirstBlock"/> on, all used (in the image) or all unused.</summary>
/// <param name="FirstBlock">The run's first block.</param>
/// <param name="Count">Blocks in the run (at least 1).</param>
/// <param name="Used">Whether the run's blocks are in the image.</param>
public readonly record struct BitmapRun(long FirstBlock, long Count, bool Used)
{
    /// <summary>The block after the run.</summary>
    public long End => FirstBlock + Count;
}
