using ForensicPipe.Core.Stages.Fill;
using ForensicPipe.Formats.Partclone;

namespace ForensicPipe.Formats.Bitmaps;

/// <summary>
/// Random reads of the partition reconstructed from an image that stores the used blocks of a bitmap one after the
/// other (partclone, partimage): the read is cut into the bitmap's runs (<see cref="BitmapRuns"/>); a used run is read
/// through the format's <see cref="IUsedBlockReader"/> from the rank of its first block (one
/// <see cref="PartcloneRankIndex.Rank"/> query per read, then counted on); unused blocks and the partition beyond the
/// bitmap's blocks read as the fill. Thread-safe when the format's reader is.
/// </summary>
internal sealed class BitmapRandomReader
{
    private readonly PartcloneBitmap _bitmap;
    private readonly PartcloneRankIndex _index;
    private readonly long _blockSize;
    private readonly long _blocksEnd;
    private readonly long _length;
    private readonly FillPattern _fill;
    private readonly IUsedBlockReader _reader;

    /// <summary>A reader of a partition of <paramref name="length"/> bytes whose first
    /// <c>bitmap.Length × blockSize</c> bytes are the bitmap's blocks.</summary>
    public BitmapRandomReader(PartcloneBitmap bitmap, PartcloneRankIndex index, long blockSize, long length, FillPattern fill, IUsedBlockReader reader)
    {
        _bitmap = bitmap;
        _index = index;
        _blockSize = blockSize;
        _blocksEnd = bitmap.Length * blockSize;
        _length = length;
        _fill = fill;
        _reader = reader;
    }

    /// <summary>Reads partition bytes from <paramref name="offset"/> on; returns the bytes read, fewer than asked only
    /// at the end of the partition.</summary>
    public int Read(long offset, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset >= _length)
        {
            return 0;
        }
        int count = (int)Math.Min(destination.Length, _length - offset);
        Span<byte> output = destination[..count];
        long end = offset + count;
        long blocksPart = Math.Min(end, _blocksEnd);
        if (offset < blocksPart)
        {
            long rank = -1;
            foreach (BitmapRun run in _bitmap.Runs(offset / _blockSize, ((blocksPart - 1) / _blockSize) + 1))
            {
                long runStart = run.FirstBlock * _blockSize;
                long from = Math.Max(runStart, offset);
                Span<byte> part = output[(int)(from - offset)..(int)(Math.Min(run.End * _blockSize, end) - offset)];
                if (run.Used)
                {
                    if (rank < 0)
                    {
                        rank = _index.Rank(run.FirstBlock);
                    }
                    _reader.ReadUsed(rank, from - runStart, part);
                    rank += run.Count;
                }
                else
                {
                    _fill.WriteAt(from, part);
                }
            }
        }
        if (end > _blocksEnd)
        {
            // Beyond the bitmap's blocks: not in the image (docs/formats/partclone.md and docs/formats/partimage.md,
            // "Reconstruction").
            long from = Math.Max(offset, _blocksEnd);
            _fill.WriteAt(from, output[(int)(from - offset)..]);
        }
        return count;
    }
}
