namespace ForensicPipe.Formats.Bitmaps;

/// <summary>
/// The format-specific half of <see cref="BitmapExtents{TMark}.ReadAsync"/>: reads the stored bytes of used blocks
/// from the image, in block order, together with whatever the format interleaves with them (checksums, CHK records),
/// which it reports as marks.
/// </summary>
/// <typeparam name="TMark">What the format records about an interleaved checksum, for its verifier.</typeparam>
internal interface IUsedRunReader<TMark>
{
    /// <summary>Reads the next bytes of <paramref name="run"/> (a used run), from partition byte
    /// <paramref name="position"/> on, into <paramref name="buffer"/>: at least one byte, no byte past the run, and
    /// as many as fit otherwise. Adds a mark, positioned in <paramref name="buffer"/>, for every checksum record it
    /// reads on the way. Returns the bytes read.</summary>
    ValueTask<int> ReadAsync(Memory<byte> buffer, BitmapRun run, long position, List<TMark> marks, CancellationToken cancellationToken);
}
