using System.Buffers.Binary;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Extents;
using ForensicPipe.Formats.Bitmaps;
using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Partclone;
using Chk = ForensicPipe.Formats.Partimage.PartimageFieldOffsets.Chk;

namespace ForensicPipe.Formats.Partimage;

// The data: saved blocks, CHK records and the tail.
public sealed partial class PartimageReader : IUsedRunReader<PartimageChkMark>
{
    // Where the one pass over the data section is: data bytes read, bytes until the next CHK record, and the partition
    // offset of the first data byte that record covers.
    private long _dataBytes;
    private int _untilChk = Chk.Interval;
    private long _chunkStart;

    /// <inheritdoc />
    public IAsyncEnumerable<Extent> ReadAsync(BufferPool pool, CancellationToken cancellationToken) =>
        BitmapExtents<PartimageChkMark>.ReadAsync(this, pool, cancellationToken);

    (PartcloneBitmap Bitmap, long BlockSize, long PartitionSize) IUsedRunReader<PartimageChkMark>.BeginRead()
    {
        OnePassReader.BeginRead(ref _state, StateOpen, StateReading);
        return (_bitmap!, _local.BlockSize, _main.PartitionSize);
    }

    ValueTask IUsedRunReader<PartimageChkMark>.EndReadAsync(CancellationToken cancellationToken) => ReadTailAsync(cancellationToken);

    /// <summary>Reads saved bytes of <paramref name="run"/> from <paramref name="position"/> on, taking out the CHK record
    /// after every 65536 data bytes (docs/formats/partimage.md, "Data blocks and CHK records").</summary>
    async ValueTask<int> IUsedRunReader<PartimageChkMark>.ReadAsync(
        Memory<byte> memory, BitmapRun run, long position, List<PartimageChkMark> marks, CancellationToken cancellationToken)
    {
        long blockSize = _local.BlockSize;
        // partimage copies saved blocks in runs of at most 256 KiB; a CHK's position is the first block of the
        // run holding its last data byte (docs/formats/partimage.md, "Data blocks and CHK records").
        long maxRun = Math.Max(1, Chk.RunBytes / blockSize);
        long runEnd = run.End * blockSize;
        int filled = 0;
        while (position < runEnd && filled < memory.Length)
        {
            if (_untilChk == Chk.Interval)
            {
                _chunkStart = position;
            }
            int count = (int)Math.Min(runEnd - position, Math.Min(memory.Length - filled, _untilChk));
            int got = await _input.ReadAsync(memory.Slice(filled, count), cancellationToken).ConfigureAwait(false);
            if (got < count)
            {
                long inBlock = (position + got) % blockSize;
                PartimageThrowHelper.ThrowTruncated($"data block {(position + got) / blockSize}", DataOffset(_dataBytes + got - inBlock),
                    blockSize, inBlock, _volumes.DescribeEnd());
            }
            filled += count;
            _dataBytes += count;
            _untilChk -= count;
            position += count;
            if (_untilChk == 0)
            {
                long lastBlock = (position - 1) / blockSize;
                long expected = run.FirstBlock + ((lastBlock - run.FirstBlock) / maxRun * maxRun);
                marks.Add(await ReadChkAsync(filled, expected, _chunkStart, cancellationToken).ConfigureAwait(false));
                _untilChk = Chk.Interval;
            }
        }
        return filled;
    }

    /// <summary>Logical offset of data byte <paramref name="dataByte"/> (docs/formats/partimage.md,
    /// "Random access").</summary>
    private long DataOffset(long dataByte) => _dataStart + dataByte + (Chk.Size * (dataByte / Chk.Interval));

    private async ValueTask<PartimageChkMark> ReadChkAsync(int position, long expectedPosition, long chunkStart, CancellationToken cancellationToken)
    {
        long index = _chkRead;
        long offset = _input.Position;
        await ReadStructureAsync(_small.AsMemory(0, Chk.Size), $"CHK record {index}", cancellationToken).ConfigureAwait(false);
        ReadOnlySpan<byte> record = _small.AsSpan(0, Chk.Size);
        if (!record[..PartimageMagic.Chk.Length].SequenceEqual(PartimageMagic.Chk))
        {
            PartimageThrowHelper.ThrowInvalid($"CHK record {index}", offset,
                $"expected \"CHK\\x00\" after {(index + 1) * Chk.Interval} data bytes, found \"{PartimageText.Printable(record[..4])}\" ({_volumes.Locate(offset)})");
        }
        Interlocked.Increment(ref _chkRead);
        return new PartimageChkMark(position,
            BinaryPrimitives.ReadUInt32LittleEndian(record[Chk.Crc..]),
            BinaryPrimitives.ReadUInt64LittleEndian(record[Chk.Position..]),
            expectedPosition, index, offset, chunkStart);
    }

    private async ValueTask ReadTailAsync(CancellationToken cancellationToken)
    {
        await ExpectMagicAsync(PartimageMagic.Tail, "MAGIC-BEGIN-TAIL", cancellationToken).ConfigureAwait(false);
        ulong covered = _structureSum;
        long tailOffset = _input.Position;
        await ReadStructureAsync(_structure.AsMemory(0, PartimageFieldOffsets.StructureSize), "tail", cancellationToken).ConfigureAwait(false);
        PartimageTail tail = PartimageTail.Parse(_structure, tailOffset);

        _volumes.StopAtVolumeEnd = true;
        int extra = await _input.ReadAsync(_small.AsMemory(0, 1), cancellationToken).ConfigureAwait(false);
        long end = tailOffset + PartimageFieldOffsets.StructureSize;
        if (extra != 0)
        {
            PartimageThrowHelper.ThrowInvalid("end of image", end,
                $"the image continues after its tail ({_volumes.Locate(end)}); partimage writes nothing after it");
        }
        uint lastVolume = _volumes.Current.Number;
        if (tail.LastVolume != lastVolume)
        {
            PartimageThrowHelper.ThrowInvalid("tail last volume", tailOffset + PartimageFieldOffsets.Tail.LastVolume,
                $"value {tail.LastVolume}, but the image ended in volume {lastVolume} ({Path})");
        }
        _tail = tail;
        // Reserved bytes are zero in every image seen; no check covers them, so they are only counted for the report.
        _tailReservedNonZero = PartimageFieldOffsets.StructureSize - PartimageFieldOffsets.Tail.Reserved
            - _structure.AsSpan(PartimageFieldOffsets.Tail.Reserved, PartimageFieldOffsets.StructureSize - PartimageFieldOffsets.Tail.Reserved).Count((byte)0);
        _verifier!.SetTail(tail, covered);
        _complete = true;
    }
}
