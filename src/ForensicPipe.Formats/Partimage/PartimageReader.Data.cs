using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Partclone;
using Chk = ForensicPipe.Formats.Partimage.PartimageFieldOffsets.Chk;

namespace ForensicPipe.Formats.Partimage;

// The data: saved blocks, CHK records and the tail.
public sealed partial class PartimageReader
{
    /// <inheritdoc />
    public async IAsyncEnumerable<Extent> ReadAsync(BufferPool pool, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        int state = Interlocked.CompareExchange(ref _state, StateReading, StateOpen);
        if (state != StateOpen)
        {
            throw new InvalidOperationException(state == StateReading
                ? "ReadAsync can be called only once."
                : "The image is not open: OpenAsync must succeed first.");
        }

        PartcloneBitmap bitmap = _bitmap!;
        long blockSize = _local.BlockSize;
        long blockCount = _local.BlockCount;
        int capacity = pool.BufferSize;
        // partimage copies saved blocks in runs of at most 256 KiB; a CHK's position is the first block of the
        // run holding its last data byte (docs/formats/partimage.md, "Data blocks and CHK records").
        long maxRun = Math.Max(1, Chk.RunBytes / blockSize);

        long block = 0;
        long inBlock = 0;          // bytes of the current block already read
        long dataBytes = 0;        // data bytes read so far
        int untilChk = Chk.Interval;
        long chunkStart = 0;       // partition offset of the first data byte the next CHK covers
        var marks = new List<PartimageChkMark>();
        PooledBuffer? buffer = null;
        try
        {
            while (block < blockCount)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long runEnd = bitmap.FindRunEnd(block);
                if (!bitmap.IsSet(block))
                {
                    yield return Extent.Absent(block * blockSize, (runEnd - block) * blockSize);
                    block = runEnd;
                    continue;
                }

                long runBegin = block;
                while (block < runEnd)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    buffer = pool.Rent();
                    Memory<byte> memory = buffer.Memory[..capacity];
                    long extentOffset = (block * blockSize) + inBlock;
                    int filled = 0;
                    marks.Clear();
                    while (block < runEnd && filled < capacity)
                    {
                        if (untilChk == Chk.Interval)
                        {
                            chunkStart = (block * blockSize) + inBlock;
                        }
                        long leftInRun = ((runEnd - block) * blockSize) - inBlock;
                        int count = (int)Math.Min(leftInRun, Math.Min(capacity - filled, untilChk));
                        int got = await _input.ReadAsync(memory.Slice(filled, count), cancellationToken).ConfigureAwait(false);
                        if (got < count)
                        {
                            long at = block + ((inBlock + got) / blockSize);
                            PartimageThrowHelper.ThrowTruncated($"data block {at}", DataOffset(dataBytes + got - ((inBlock + got) % blockSize)),
                                blockSize, (inBlock + got) % blockSize, _volumes.DescribeEnd());
                        }
                        filled += count;
                        dataBytes += count;
                        untilChk -= count;
                        inBlock += count;
                        block += inBlock / blockSize;
                        inBlock %= blockSize;
                        if (untilChk == 0)
                        {
                            long lastBlock = inBlock == 0 ? block - 1 : block;
                            long expected = runBegin + ((lastBlock - runBegin) / maxRun * maxRun);
                            marks.Add(await ReadChkAsync(filled, expected, chunkStart, cancellationToken).ConfigureAwait(false));
                            untilChk = Chk.Interval;
                        }
                    }

                    object annotation = marks.Count == 0 ? s_noMarks : ImmutableCollectionsMarshal.AsImmutableArray(marks.ToArray());
                    Extent extent = Extent.Data(extentOffset, buffer, filled, annotation);
                    buffer = null;
                    yield return extent;
                }
            }
        }
        finally
        {
            // A buffer rented but not handed over (fault, cancellation, early dispose) goes back here.
            buffer?.Release();
        }

        await ReadTailAsync(cancellationToken).ConfigureAwait(false);

        long blocksEnd = blockCount * blockSize;
        if (_main.PartitionSize > blocksEnd)
        {
            yield return Extent.Absent(blocksEnd, _main.PartitionSize - blocksEnd);
        }
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
