using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Partclone;
using Chk = ForensicPipe.Formats.Partimage.PartimageFieldOffsets.Chk;
using Mbr = ForensicPipe.Formats.Partimage.PartimageFieldOffsets.Mbr;

namespace ForensicPipe.Formats.Partimage;

/// <summary>
/// Reads a partimage 0.6.x image (formats.md §4) in one forward pass over its volume files (<c>NAME.000</c>,
/// <c>NAME.001</c>, …, each plain, gzip or bzip2) or standard input (one volume), and emits the reconstructed
/// partition as extents: <see cref="ExtentKind.Data"/> for runs of saved blocks, packed into pool buffers with
/// the CHK records taken out; <see cref="ExtentKind.Absent"/> for unsaved blocks and for the partition bytes
/// beyond <c>block_count × block_size</c>. Each data extent carries the CHK records whose data ends inside it
/// (<see cref="PartimageChkMark"/>) for the <see cref="PartimageVerifier"/>; the reader sums every non-data byte
/// of the logical stream for the tail check (§2.6) and hands the tail to the verifier at the end.
/// Header sums (§2.5) are checked in <see cref="OpenAsync"/>. Offsets in errors and results are logical-stream
/// offsets (volume headers excluded, volume 0's data starts at 0); messages also name the volume file and its offset.
/// Memory: the bitmap (block_count / 8 bytes, allocated as it arrives) plus bounded buffers.
/// </summary>
public sealed class PartimageReader : IExtentSource
{
    /// <summary>Format name in <see cref="SourceInfo.Format"/>.</summary>
    public const string FormatName = PartimageThrowHelper.FormatName;

    /// <summary>Largest payload accepted in an extension record (partimage writes 0-byte ones).</summary>
    public const uint MaxExtensionLength = 16u << 20;

    private const int StateNew = 0;
    private const int StateOpening = 1;
    private const int StateOpen = 2;
    private const int StateReading = 3;

    private const int ScratchSize = 64 * 1024;

    private static readonly object s_noMarks = ImmutableArray<PartimageChkMark>.Empty;

    private readonly PartimageVolumeStream _volumes;
    private readonly ImageInput _input;
    private readonly byte[] _structure = new byte[PartimageFieldOffsets.StructureSize + PartimageFieldOffsets.HeaderSumLength];
    private readonly byte[] _small = new byte[64];
    private byte[]? _scratch;
    private PartimageMainHeader _main;
    private PartimageLocalHeader _local;
    private PartimageInfoHeader _info;
    private PartcloneBitmap? _bitmap;
    private PartimageVerifier? _verifier;
    private PartimageTail? _tail;
    private ulong _structureSum;
    private long _dataStart;
    private int _state;
    private long _chkRead;
    private bool _complete;
    private int _tailReservedNonZero;

    /// <summary>Creates a reader of the image whose first volume is <paramref name="path"/> (<c>-</c>: standard
    /// input, a single volume). Following volumes are found by name: <c>NAME.001</c> after <c>NAME.000</c>.</summary>
    public PartimageReader(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        _volumes = new PartimageVolumeStream(path);
        _input = new ImageInput(_volumes, path);
    }

    /// <summary>The first volume's name as given.</summary>
    public string Path { get; }

    /// <summary>Volume 0's header (after <see cref="OpenAsync"/>).</summary>
    public PartimageVolumeHeader VolumeHeader => _volumes.FirstHeader;

    /// <summary>The main header (after <see cref="OpenAsync"/>).</summary>
    public PartimageMainHeader MainHeader => _main;

    /// <summary>The local header (after <see cref="OpenAsync"/>).</summary>
    public PartimageLocalHeader LocalHeader => _local;

    /// <summary>The block bitmap (after <see cref="OpenAsync"/>).</summary>
    public PartcloneBitmap Bitmap => _bitmap ?? throw NotOpen();

    /// <summary>Logical offset of the first data byte (after <c>MAGIC-BEGIN-DATABLOCKS</c>).</summary>
    public long DataStart => _dataStart;

    /// <summary>The volumes read so far.</summary>
    public IReadOnlyList<PartimageVolume> Volumes => _volumes.Volumes;

    /// <summary>The tail, once the whole image was read.</summary>
    public PartimageTail? Tail => _tail;

    /// <summary>CHK records read so far.</summary>
    public long ChkRead => Interlocked.Read(ref _chkRead);

    /// <summary>The verifier of the image's CHK records and tail sum (after <see cref="OpenAsync"/>).</summary>
    public PartimageVerifier? PartimageVerifier => _verifier;

    /// <inheritdoc />
    public IImageVerifier? Verifier => _verifier;

    /// <inheritdoc />
    public long BytesRead => _input.Position;

    /// <summary>Opens the image whose first volume is <paramref name="path"/> for one sequential pass.</summary>
    public static PartimageReader Open(string path) => new(path);

    /// <summary>
    /// Reads and validates everything before the data (formats.md §4.2): volume 0's header, the main header and
    /// its sum, the MBR records, the extension records, the local header and its sum, the bitmap (used_blocks must
    /// equal its set bits below block_count), the info header and its sum, and the magic strings between them.
    /// Throws <see cref="ImageFormatException"/> naming the field, the value and its logical offset; a header sum
    /// mismatch has <see cref="ImageFormatException.IsChecksumMismatch"/> set.
    /// </summary>
    public async ValueTask<SourceInfo> OpenAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, StateOpening, StateNew) != StateNew)
        {
            throw new InvalidOperationException("OpenAsync was already called.");
        }

        PartimageVolumeHeader volume = await _volumes.OpenAsync(cancellationToken).ConfigureAwait(false);

        await ReadStructureAsync(_structure, "main header", cancellationToken).ConfigureAwait(false);
        _main = PartimageMainHeader.Parse(_structure);

        await ExpectMagicAsync(PartimageMagic.MbrBackup, "MAGIC-BEGIN-MBRBACKUP", cancellationToken).ConfigureAwait(false);
        var mbrs = new JsonArray();
        for (uint i = 0; i < _main.MbrCount; i++)
        {
            long offset = _input.Position;
            await ReadStructureAsync(_structure.AsMemory(0, Mbr.Size), $"MBR record {i}", cancellationToken).ConfigureAwait(false);
            // The JsonNode overload: Add<T> may wrap any value and is marked as needing run-time code (Native AOT).
            mbrs.Add((JsonNode)DescribeMbr(_structure.AsSpan(0, Mbr.Size), offset));
        }

        var extensions = new JsonArray();
        byte[] extensionMagic = new byte[PartimageMagic.ExtensionLength];
        for (int i = 0; i < PartimageFieldOffsets.Extension.Count; i++)
        {
            PartimageMagic.WriteExtension(i, extensionMagic);
            await ExpectMagicAsync(extensionMagic, $"MAGIC-BEGIN-EXT{i:D3}", cancellationToken).ConfigureAwait(false);
            long lengthOffset = _input.Position;
            await ReadStructureAsync(_small.AsMemory(0, PartimageFieldOffsets.Extension.LengthFieldSize), $"extension {i} length", cancellationToken).ConfigureAwait(false);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(_small);
            if (length > MaxExtensionLength)
            {
                PartimageThrowHelper.ThrowInvalid($"extension {i} length", lengthOffset,
                    $"value {length} exceeds {MaxExtensionLength}; partimage writes empty extension records ({_volumes.Locate(lengthOffset)})");
            }
            await SkipSummedAsync(length, $"extension {i}", cancellationToken).ConfigureAwait(false);
            extensions.Add((JsonNode)length);
        }

        await ExpectMagicAsync(PartimageMagic.LocalHeader, "MAGIC-BEGIN-LOCALHEADER", cancellationToken).ConfigureAwait(false);
        long localOffset = _input.Position;
        await ReadStructureAsync(_structure, "local header", cancellationToken).ConfigureAwait(false);
        _local = PartimageLocalHeader.Parse(_structure, localOffset, _main.PartitionSize);

        await ExpectMagicAsync(PartimageMagic.Bitmap, "MAGIC-BEGIN-BITMAP", cancellationToken).ConfigureAwait(false);
        long bitmapOffset = _input.Position;
        (PartcloneBitmap bitmap, long bitsBeyond) = await ReadBitmapAsync(cancellationToken).ConfigureAwait(false);
        long setBits = bitmap.Complete();
        if (setBits != _local.UsedBlocks)
        {
            PartimageThrowHelper.ThrowInvalid("used_blocks", localOffset + PartimageFieldOffsets.Local.UsedBlocks,
                $"the local header says {_local.UsedBlocks} used blocks, the bitmap at logical byte {bitmapOffset} has {setBits} set bits below block_count {_local.BlockCount}");
        }
        _bitmap = bitmap;

        await ExpectMagicAsync(PartimageMagic.Info, "MAGIC-BEGIN-INFO", cancellationToken).ConfigureAwait(false);
        long infoOffset = _input.Position;
        await ReadStructureAsync(_structure, "info header", cancellationToken).ConfigureAwait(false);
        _info = PartimageInfoHeader.Parse(_structure, infoOffset);

        await ExpectMagicAsync(PartimageMagic.DataBlocks, "MAGIC-BEGIN-DATABLOCKS", cancellationToken).ConfigureAwait(false);
        _dataStart = _input.Position;

        long dataBytes = _local.UsedBlocks * (long)_local.BlockSize;
        long chkCount = dataBytes / Chk.Interval;
        var headerResults = new[]
        {
            new ChecksumResult("main header", -1, PartimageFieldOffsets.StructureSize, -1, $"{_main.StoredSum:x8}", $"{_main.ComputedSum:x8}"),
            new ChecksumResult("local header", -1, localOffset + PartimageFieldOffsets.StructureSize, -1, $"{_local.StoredSum:x8}", $"{_local.ComputedSum:x8}"),
            new ChecksumResult("info header", -1, infoOffset + PartimageFieldOffsets.StructureSize, -1, $"{_info.StoredSum:x8}", $"{_info.ComputedSum:x8}"),
        };
        _verifier = new PartimageVerifier(dataBytes, chkCount, _dataStart, headerResults);

        var details = new JsonObject
        {
            ["volumeMagic"] = "PaRtImAgE-VoLuMe",
            ["volumeVersion"] = volume.Version,
            ["volumeIdentifier"] = volume.IdentifierHex,
            ["volumeCompression"] = _volumes.Current.Compression.ToString().ToLowerInvariant(),
        };
        Merge(details, _main.Describe());
        details["mbrs"] = mbrs;
        details["extensionLengths"] = extensions;
        Merge(details, _local.Describe());
        details["bitmapOffset"] = bitmapOffset;
        details["bitmapSetBits"] = setBits;
        details["bitmapAbsentBlocks"] = _local.BlockCount - setBits;
        details["bitmapSetBitsBeyondBlockCount"] = bitsBeyond;
        details["info"] = _info.Describe(_main.FileSystem);
        details["dataStart"] = _dataStart;
        details["dataStartVolumeOffset"] = _volumes.Locate(_dataStart);
        details["dataBytes"] = dataBytes;
        details["chkCount"] = chkCount;
        details["uncheckedTrailingBytes"] = dataBytes % Chk.Interval;
        details["expectedLogicalSize"] = _dataStart + dataBytes + (chkCount * Chk.Size) + PartimageMagic.Tail.Length + PartimageFieldOffsets.StructureSize;
        details["volumeFiles"] = new JsonArray([(JsonNode)Path, .. _volumes.FollowingVolumeFiles().Select(f => (JsonNode)f)]);
        Volatile.Write(ref _state, StateOpen);
        return new SourceInfo(Path, FormatName, _main.PartitionSize, details);
    }

    private static void Merge(JsonObject target, JsonObject source)
    {
        foreach ((string key, JsonNode? value) in source.ToArray())
        {
            source.Remove(key);
            target[key] = value;
        }
    }

    private static JsonObject DescribeMbr(ReadOnlySpan<byte> record, long offset)
    {
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(record[Mbr.SectorSum..]);
        uint computed = PartimageSums.SignedByteSum(record.Slice(Mbr.Sector, Mbr.SectorLength));
        return new JsonObject
        {
            ["offset"] = offset,
            ["device"] = PartimageText.Read(record.Slice(Mbr.Device, Mbr.DeviceLength)),
            ["blockCount"] = BinaryPrimitives.ReadUInt64LittleEndian(record[Mbr.BlockCount..]),
            ["model"] = PartimageText.Read(record.Slice(Mbr.Model, Mbr.ModelLength)),
            ["sectorSumStored"] = $"{stored:x8}",
            ["sectorSumComputed"] = $"{computed:x8}",
        };
    }

    /// <summary>Reads exactly <paramref name="destination"/>.Length bytes of a non-data structure and adds them to the
    /// tail sum; the end of the stream inside it is a truncation error naming <paramref name="field"/>.</summary>
    private async ValueTask ReadStructureAsync(Memory<byte> destination, string field, CancellationToken cancellationToken)
    {
        long offset = _input.Position;
        int got = await _input.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
        if (got < destination.Length)
        {
            PartimageThrowHelper.ThrowTruncated(field, offset, destination.Length, got, _volumes.DescribeEnd());
        }
        _structureSum += PartimageSums.ByteSum(destination.Span);
    }

    private async ValueTask ExpectMagicAsync(byte[] magic, string name, CancellationToken cancellationToken)
    {
        long offset = _input.Position;
        Memory<byte> found = _small.AsMemory(0, magic.Length);
        await ReadStructureAsync(found, name, cancellationToken).ConfigureAwait(false);
        if (!found.Span.SequenceEqual(magic))
        {
            PartimageThrowHelper.ThrowInvalid(name, offset,
                $"expected \"{name}\", found \"{PartimageText.Printable(found.Span)}\" ({_volumes.Locate(offset)})");
        }
    }

    private ValueTask ExpectMagicAsync(ReadOnlySpan<byte> magic, string name, CancellationToken cancellationToken) =>
        ExpectMagicAsync(magic.ToArray(), name, cancellationToken);

    private async ValueTask SkipSummedAsync(long count, string field, CancellationToken cancellationToken)
    {
        _scratch ??= new byte[ScratchSize];
        while (count > 0)
        {
            int step = (int)Math.Min(count, _scratch.Length);
            await ReadStructureAsync(_scratch.AsMemory(0, step), field, cancellationToken).ConfigureAwait(false);
            count -= step;
        }
    }

    /// <summary>Reads the bitmap (§4.5): the first ceil(block_count/8) bytes into storage allocated as they arrive,
    /// the rest (ext2 adds 16 bytes, NTFS its whole $Bitmap allocation) only summed. Returns the bitmap and the
    /// number of set bits at or beyond block_count, which partimage ignores.</summary>
    private async ValueTask<(PartcloneBitmap Bitmap, long BitsBeyond)> ReadBitmapAsync(CancellationToken cancellationToken)
    {
        var bitmap = new PartcloneBitmap(_local.BlockCount);
        long packed = _local.PackedBitmapSize;
        long done = 0;
        long bitsBeyond = 0;
        while (done < packed)
        {
            Memory<byte> segment = bitmap.NextPackedSegment(packed - done);
            await ReadStructureAsync(segment, "bitmap", cancellationToken).ConfigureAwait(false);
            bitmap.CommitPacked(segment.Length);
            done += segment.Length;
            int usedBitsInLast = (int)(_local.BlockCount % 8);
            if (done == packed && usedBitsInLast != 0)
            {
                bitsBeyond += BitOperations.PopCount((uint)segment.Span[^1] >> usedBitsInLast);
            }
        }
        long extra = _local.BitmapSize - packed;
        _scratch ??= new byte[ScratchSize];
        while (extra > 0)
        {
            int step = (int)Math.Min(extra, _scratch.Length);
            await ReadStructureAsync(_scratch.AsMemory(0, step), "bitmap", cancellationToken).ConfigureAwait(false);
            foreach (byte b in _scratch.AsSpan(0, step))
            {
                bitsBeyond += BitOperations.PopCount(b);
            }
            extra -= step;
        }
        return (bitmap, bitsBeyond);
    }

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
        // run holding its last data byte (§4.6).
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

    /// <summary>Logical offset of data byte <paramref name="dataByte"/> (§6.2).</summary>
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

    /// <inheritdoc />
    public JsonObject? DescribeAfterRun() => new()
    {
        ["bytesRead"] = BytesRead,
        ["chkRead"] = ChkRead,
        ["complete"] = _complete,
        ["tailOffset"] = _tail?.Offset,
        ["tailGlobalSum"] = _tail is { } t ? $"{t.GlobalSum:x16}" : null,
        ["tailLastVolume"] = _tail?.LastVolume,
        ["tailReservedNonZeroBytes"] = _tail is null ? null : _tailReservedNonZero,
        ["volumes"] = new JsonArray([.. _volumes.Volumes.Select(v => (JsonNode)new JsonObject
        {
            ["number"] = v.Number,
            ["path"] = v.Path,
            ["compression"] = v.Compression.ToString().ToLowerInvariant(),
            ["logicalStart"] = v.LogicalStart,
            ["logicalLength"] = v.LogicalLength,
        })]),
        ["missingVolume"] = _volumes.MissingVolume,
    };

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _volumes.DisposeAsync().ConfigureAwait(false);

    private static InvalidOperationException NotOpen() => new("The image is not open: call OpenAsync first.");
}
