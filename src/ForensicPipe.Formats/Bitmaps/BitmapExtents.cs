using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Extents;
using ForensicPipe.Formats.Partclone;

namespace ForensicPipe.Formats.Bitmaps;

/// <summary>
/// The data section of an image that stores the used blocks of a bitmap one after the other (partclone, partimage),
/// as extents of the reconstructed partition: an <see cref="ExtentKind.Absent"/> extent per unused run, and the
/// used runs' bytes, read by the format's <see cref="IUsedRunReader{TMark}"/>, packed into pool buffers as
/// <see cref="ExtentKind.Data"/> extents that carry the marks read with them
/// (an <see cref="ImmutableArray{T}"/> of <typeparamref name="TMark"/> as the annotation). One async iterator for the
/// whole pass: an extent crosses no second iterator on its way out.
/// </summary>
/// <typeparam name="TMark">The format's checksum mark.</typeparam>
internal static class BitmapExtents<TMark>
{
    private static readonly object s_noMarks = ImmutableArray<TMark>.Empty;

    /// <summary>The whole partition: the bitmap's runs in block order, then, after <paramref name="reader"/> has checked
    /// the end of the image, the partition beyond the bitmap's blocks as one absent extent (not in the image:
    /// docs/formats/partclone.md and docs/formats/partimage.md, "Reconstruction"). The work starts at the first
    /// <c>MoveNextAsync</c>, with <see cref="IUsedRunReader{TMark}.BeginRead"/>.</summary>
    public static async IAsyncEnumerable<Extent> ReadAsync(IUsedRunReader<TMark> reader, BufferPool pool,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        (PartcloneBitmap bitmap, long blockSize, long partitionSize) = reader.BeginRead();
        int capacity = pool.BufferSize;
        var marks = new List<TMark>();
        PooledBuffer? buffer = null;
        try
        {
            foreach (BitmapRun run in bitmap.Runs())
            {
                cancellationToken.ThrowIfCancellationRequested();
                long position = run.FirstBlock * blockSize;
                long end = run.End * blockSize;
                if (!run.Used)
                {
                    yield return Extent.Absent(position, end - position);
                    continue;
                }

                while (position < end)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    buffer = pool.Rent();
                    marks.Clear();
                    int filled = await reader.ReadAsync(buffer.Memory[..capacity], run, position, marks, cancellationToken).ConfigureAwait(false);
                    object annotation = marks.Count == 0 ? s_noMarks : ImmutableCollectionsMarshal.AsImmutableArray(marks.ToArray());
                    Extent extent = Extent.Data(position, buffer, filled, annotation);
                    buffer = null;
                    yield return extent;
                    position += filled;
                }
            }
        }
        finally
        {
            // A buffer rented but not handed over (fault, cancellation, early dispose) goes back here.
            buffer?.Release();
        }

        await reader.EndReadAsync(cancellationToken).ConfigureAwait(false);
        long blocksEnd = bitmap.Length * blockSize;
        if (partitionSize > blocksEnd)
        {
            yield return Extent.Absent(blocksEnd, partitionSize - blocksEnd);
        }
    }
}
