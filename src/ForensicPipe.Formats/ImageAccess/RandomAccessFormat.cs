namespace ForensicPipe.Formats.ImageAccess;

/// <summary>
/// One image format that can be opened for random access: how to recognise it from the first bytes, how to
/// open it for random access, and its sequential reader (for <see cref="ImageBlockReader"/>).
/// <see cref="RandomAccessImage.Formats"/> lists them; a format is added there with one entry.
/// </summary>
/// <param name="Name">Format name, as in <see cref="IRandomAccessImage.Format"/>.</param>
/// <param name="Detect">Whether the first bytes (up to <see cref="RandomAccessImage.ProbeSize"/>; fewer for a
/// shorter file) start an image of this format.</param>
/// <param name="Open">Opens the image for random access; takes over the file on success and leaves it open
/// on failure.</param>
/// <param name="OpenSequential">Creates the format's sequential reader of a path (not yet opened).</param>
public sealed record RandomAccessFormat(
    string Name,
    RandomAccessFormat.Detector Detect,
    Func<ImageFile, RandomAccessOptions, CancellationToken, ValueTask<IRandomAccessImage>> Open,
    Func<string, Core.Pipeline.IExtentSource> OpenSequential)
{
    /// <summary>Recognises a format from its first bytes.</summary>
    public delegate bool Detector(ReadOnlySpan<byte> probe);
}
