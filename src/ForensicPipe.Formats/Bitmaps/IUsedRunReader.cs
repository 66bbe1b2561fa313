using ForensicPipe.Formats.Partclone;

namespace ForensicPipe.Formats.Bitmaps;

/// <summary>
/// The format-specific half of <see cref="BitmapExtents{TMark}.ReadAsync"/>: reads the stored bytes of used blocks
/// from the image, in block order, together with whatever the format interleaves with them (checksums, CHK records),
/// which it reports as marks; and checks what follows the data section.
/// </summary>
/// <typeparam name="TMark">What the format records about an interleaved checksum, for its verifier.</typeparam>
internal interface IUsedRunReader<TMark>
{
    /// <summary>Starts the one pass over the data section, or throws <see cref="InvalidOperationException"/> when the
    /// image is not open or was read already. Returns the bitmap, the block size and the partition's size (which may
    /// exceed the bitmap's blocks).</summary>
    (PartcloneBitmap Bitmap, long BlockSize, long PartitionSize) BeginRead();

    /// <summary>Reads the next bytes of <paramref name="run"/> (a used run), from partition byte
    /// <paramref name="position"/> on, into <paramref name="buffer"/>: at least one byte, no byte past the run, and
    /// as many as fit otherwise. Adds a mark, positioned in <paramref name="buffer"/>, for every checksum record it
    /// reads on the way. Returns the bytes read.</summary>
    ValueTask<int> ReadAsync(Memory<byte> buffer, BitmapRun run, long position, List<TMark> marks, CancellationToken cancellationToken);

    /// <summary>Reads and checks what follows the last run's data, once every run is read.</summary>
    ValueTask EndReadAsync(CancellationToken cancellationToken);
}
