using System.Buffers.Binary;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.Bitmaps;
using ForensicPipe.Formats.Checksums;
using ForensicPipe.Formats.Input;

namespace ForensicPipe.Formats.Partclone;

/// <summary>
/// Reads a partclone image (format 0002 or 0001, docs/formats/partclone.md) in one forward pass, from a file or a pipe,
/// and emits the reconstructed partition as extents: <see cref="ExtentKind.Data"/> for runs of present blocks,
/// packed into pool buffers; <see cref="ExtentKind.Absent"/> for runs of absent blocks and for the tail
/// beyond <c>total × block_size</c>. Each data extent carries the stored checksums of the groups that end
/// inside it (<see cref="PartcloneChecksumMark"/>) for the <see cref="PartcloneVerifier"/>.
/// Memory: the bitmap (total / 8 bytes, allocated as it is read) plus bounded buffers.
/// </summary>
public sealed class PartcloneReader : IExtentSource, IUsedRunReader<PartcloneChecksumMark>
{
    /// <summary>Format name in <see cref="SourceInfo.Format"/>.</summary>
    public const string FormatName = PartcloneThrowHelper.FormatName;

    /// <summary>Staging size for format 0001's byte bitmap (a multiple of 16 for the packing).</summary>
    private const int ByteBitmapStep = 64 * 1024;

    private const int StateNew = 0;
    private const int StateOpening = 1;
    private const int StateOpen = 2;
    private const int StateReading = 3;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly ImageInput _input;
    private readonly byte[] _checksumBytes = new byte[16];
    private PartcloneHeader? _header;
    private PartcloneBitmap? _bitmap;
    private PartcloneVerifier? _verifier;
    private ChecksumResult? _headerChecksum;
    private ChecksumResult? _bitmapChecksum;
    private int _state;
    private long _checksumsRead;
    private bool _complete;

    // Where the one pass over the data section is: present blocks and checksum groups read so far, blocks read of the
    // current group and the partition offset of its first block.
    private long _rank;
    private long _group;
    private long _blocksInGroup;
    private long _groupStart;

    /// <summary>Creates a reader of <paramref name="stream"/>, positioned at the first byte of the image.
    /// Only forward reads are used: no Seek, no Length.</summary>
    /// <param name="stream">The image.</param>
    /// <param name="path">Name of the image for messages and the report (<c>-</c> for standard input).</param>
    /// <param name="leaveOpen">Whether <see cref="DisposeAsync"/> leaves <paramref name="stream"/> open.</param>
    public PartcloneReader(Stream stream, string path, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(path);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream must be readable.", nameof(stream));
        }
        _stream = stream;
        _leaveOpen = leaveOpen;
        _input = new ImageInput(stream, path);
        Path = path;
    }

    /// <summary>The image's name as given.</summary>
    public string Path { get; }

    /// <summary>The validated header (after <see cref="OpenAsync"/>).</summary>
    public PartcloneHeader Header => _header ?? throw NotOpen();

    /// <summary>The block bitmap (after <see cref="OpenAsync"/>).</summary>
    public PartcloneBitmap Bitmap => _bitmap ?? throw NotOpen();

    /// <summary>The header CRC check (format 0002), or null for format 0001 or before <see cref="OpenAsync"/>.</summary>
    public ChecksumResult? HeaderChecksum => _headerChecksum;

    /// <summary>The bitmap CRC check (format 0002), or null for format 0001 or before <see cref="OpenAsync"/>.</summary>
    public ChecksumResult? BitmapChecksum => _bitmapChecksum;

    /// <summary>Stored data checksums read so far.</summary>
    public long ChecksumsRead => Interlocked.Read(ref _checksumsRead);

    /// <summary>The verifier of the image's data checksums (after <see cref="OpenAsync"/>).</summary>
    public PartcloneVerifier? PartcloneVerifier => _verifier;

    /// <inheritdoc />
    public IImageVerifier? Verifier => _verifier;

    /// <inheritdoc />
    public long BytesRead => _input.Position;

    /// <summary>Opens <paramref name="path"/> for one sequential pass (<c>-</c> = standard input); a gzip or bzip2
    /// compressed image is decompressed on the way (offsets in messages are then offsets of the decompressed image).</summary>
    public static PartcloneReader Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new PartcloneReader(SequentialImage.Open(path).Stream, path);
    }

    /// <summary>
    /// Reads and validates the header and the bitmap: magic, version, header CRC, header fields, bitmap
    /// CRC (0002) or <c>BiTmAgIc</c> (0001), and that the bitmap has exactly <c>used_blocks</c> set bits.
    /// Throws <see cref="ImageFormatException"/> naming the field, the value and its byte offset.
    /// </summary>
    public async ValueTask<SourceInfo> OpenAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, StateOpening, StateNew) != StateNew)
        {
            throw new InvalidOperationException("OpenAsync was already called.");
        }

        var headerBytes = new byte[PartcloneFieldOffsets.V2.HeaderSize];
        int got = await _input.ReadAsync(headerBytes.AsMemory(0, PartcloneDetector.HeaderSize), cancellationToken).ConfigureAwait(false);
        PartcloneImageVersion version = PartcloneHeader.DetectOrThrow(headerBytes.AsSpan(0, got));
        int headerSize = PartcloneHeader.GetHeaderSize(version);
        if (headerSize > headerBytes.Length)
        {
            Array.Resize(ref headerBytes, headerSize);
        }
        got += await _input.ReadAsync(headerBytes.AsMemory(got, headerSize - got), cancellationToken).ConfigureAwait(false);
        if (got < headerSize)
        {
            PartcloneThrowHelper.ThrowTruncated("header", 0, headerSize, got, null);
        }

        PartcloneHeader header = PartcloneHeader.Parse(headerBytes);
        var bitmap = new PartcloneBitmap(header.TotalBlocks);
        if (version == PartcloneImageVersion.V2)
        {
            await ReadBitBitmapAsync(header, bitmap, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await ReadByteBitmapAsync(header, bitmap, cancellationToken).ConfigureAwait(false);
        }

        long setBits = bitmap.Complete();
        if (setBits != header.UsedBlocks)
        {
            int field = version == PartcloneImageVersion.V2 ? PartcloneFieldOffsets.V2.UsedBlocks : PartcloneFieldOffsets.V1.UsedBlocks;
            PartcloneThrowHelper.ThrowInvalid("used_blocks", field,
                $"the header says {header.UsedBlocks} used blocks, the bitmap at byte {header.BitmapOffset} has {setBits} set bits");
        }

        if (version == PartcloneImageVersion.V2)
        {
            _headerChecksum = new ChecksumResult("header", -1, PartcloneFieldOffsets.V2.HeaderCrc, -1,
                PartcloneHeader.Hex(header.HeaderCrc ?? 0), PartcloneHeader.Hex(header.HeaderCrcComputed ?? 0));
        }
        _header = header;
        _bitmap = bitmap;
        _verifier = new PartcloneVerifier(header, _headerChecksum, _bitmapChecksum);

        JsonObject details = header.Describe();
        if (_bitmapChecksum is { } bitmapCrc)
        {
            details["bitmapCrc"] = new JsonObject
            {
                ["offset"] = bitmapCrc.ImageOffset,
                ["stored"] = bitmapCrc.Expected,
                ["computed"] = bitmapCrc.Actual,
            };
        }
        else
        {
            details["bitmapMagicOffset"] = header.BitmapTrailerOffset;
        }
        details["bitmapSetBits"] = setBits;
        details["bitmapAbsentBlocks"] = header.TotalBlocks - setBits;
        Volatile.Write(ref _state, StateOpen);
        return new SourceInfo(Path, FormatName, header.PartitionSize, details) { DataBytes = header.UsedBlocks * header.BlockSize };
    }

    private async ValueTask ReadBitBitmapAsync(PartcloneHeader header, PartcloneBitmap bitmap, CancellationToken cancellationToken)
    {
        uint crc = PartcloneHeader.CrcSeed;
        long done = 0;
        while (done < header.BitmapSize)
        {
            // Storage grows only as the bytes arrive: at most one chunk beyond what the image really holds.
            Memory<byte> segment = bitmap.NextPackedSegment(header.BitmapSize - done);
            int got = await _input.ReadAsync(segment, cancellationToken).ConfigureAwait(false);
            crc = Crc32.Update(crc, segment.Span[..got]);
            bitmap.CommitPacked(got);
            done += got;
            if (got < segment.Length)
            {
                PartcloneThrowHelper.ThrowTruncated("bitmap", header.BitmapOffset, header.BitmapSize, done, header.ExpectedImageSize);
            }
        }

        long crcOffset = header.BitmapTrailerOffset;
        int n = await _input.ReadAsync(_checksumBytes.AsMemory(0, PartcloneFieldOffsets.V2.BitmapCrcLength), cancellationToken).ConfigureAwait(false);
        if (n < PartcloneFieldOffsets.V2.BitmapCrcLength)
        {
            PartcloneThrowHelper.ThrowTruncated("bitmap CRC", crcOffset, PartcloneFieldOffsets.V2.BitmapCrcLength, n, header.ExpectedImageSize);
        }
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(_checksumBytes);
        if (stored != crc)
        {
            PartcloneThrowHelper.ThrowChecksumMismatch("bitmap CRC", crcOffset,
                $"stored 0x{stored:x8}, computed 0x{crc:x8} over the {header.BitmapSize} bitmap bytes at byte {header.BitmapOffset}");
        }
        _bitmapChecksum = new ChecksumResult("bitmap", -1, crcOffset, -1, PartcloneHeader.Hex(stored), PartcloneHeader.Hex(crc));
    }

    private async ValueTask ReadByteBitmapAsync(PartcloneHeader header, PartcloneBitmap bitmap, CancellationToken cancellationToken)
    {
        byte[] staging = new byte[(int)Math.Min(ByteBitmapStep, Math.Max(header.BitmapSize, 1))];
        long done = 0;
        while (done < header.BitmapSize)
        {
            int want = (int)Math.Min(staging.Length, header.BitmapSize - done);
            int got = await _input.ReadAsync(staging.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
            done += got;
            if (got < want)
            {
                PartcloneThrowHelper.ThrowTruncated("bitmap", header.BitmapOffset, header.BitmapSize, done, header.ExpectedImageSize);
            }
            bitmap.AppendBytePresence(staging.AsSpan(0, got));
        }

        byte[] magic = new byte[PartcloneFieldOffsets.V1.BitmapMagicLength];
        int n = await _input.ReadAsync(magic, cancellationToken).ConfigureAwait(false);
        if (n < magic.Length)
        {
            PartcloneThrowHelper.ThrowTruncated("bitmap magic", header.BitmapTrailerOffset, magic.Length, n, header.ExpectedImageSize);
        }
        if (!magic.AsSpan().SequenceEqual("BiTmAgIc"u8))
        {
            PartcloneThrowHelper.ThrowInvalid("bitmap magic", header.BitmapTrailerOffset,
                $"expected \"BiTmAgIc\", found {Convert.ToHexStringLower(magic)}");
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerable<Extent> ReadAsync(BufferPool pool, CancellationToken cancellationToken) =>
        BitmapExtents<PartcloneChecksumMark>.ReadAsync(this, pool, cancellationToken);

    (PartcloneBitmap Bitmap, long BlockSize, long PartitionSize) IUsedRunReader<PartcloneChecksumMark>.BeginRead()
    {
        OnePassReader.BeginRead(ref _state, StateOpen, StateReading);
        return (_bitmap!, _header!.BlockSize, _header.PartitionSize);
    }

    /// <summary>partclone writes nothing after the data section.</summary>
    async ValueTask IUsedRunReader<PartcloneChecksumMark>.EndReadAsync(CancellationToken cancellationToken)
    {
        PartcloneHeader header = _header!;
        int extra = await _input.ReadAsync(_checksumBytes.AsMemory(0, 1), cancellationToken).ConfigureAwait(false);
        if (extra != 0)
        {
            PartcloneThrowHelper.ThrowInvalid("end of image", header.ExpectedImageSize,
                $"the image continues after its last {(header.ChecksumsEnabled ? "checksum" : "block")}; expected image size {header.ExpectedImageSize} bytes");
        }
        _complete = true;
    }

    /// <summary>Reads present blocks of <paramref name="run"/> from <paramref name="position"/> on: whole blocks as many
    /// as fit, each group's stored checksum after its last block (docs/formats/partclone.md, "Format 0002: data and
    /// checksum interleave"); a block larger than the buffer is split across extents.</summary>
    async ValueTask<int> IUsedRunReader<PartcloneChecksumMark>.ReadAsync(
        Memory<byte> memory, BitmapRun run, long position, List<PartcloneChecksumMark> marks, CancellationToken cancellationToken)
    {
        PartcloneHeader header = _header!;
        int blockSize = header.BlockSize;
        int capacity = memory.Length;
        bool splitBlocks = blockSize > capacity;
        bool checksums = header.ChecksumsEnabled;
        long blocksPerChecksum = checksums ? header.BlocksPerChecksum : long.MaxValue;
        long used = header.UsedBlocks;
        long runEnd = run.End;
        long block = position / blockSize;
        int inBlock = (int)(position % blockSize); // bytes of the current block already emitted (split blocks only)
        int filled = 0;
        while (block < runEnd && filled < capacity)
        {
            if (_blocksInGroup == 0 && inBlock == 0)
            {
                _groupStart = block * blockSize;
            }

            if (splitBlocks)
            {
                int part = Math.Min(blockSize - inBlock, capacity - filled);
                int got = await _input.ReadAsync(memory.Slice(filled, part), cancellationToken).ConfigureAwait(false);
                if (got < part)
                {
                    ThrowBlockTruncated(header, block, _rank, inBlock + got);
                }
                filled += part;
                inBlock += part;
                if (inBlock < blockSize)
                {
                    continue;
                }
                inBlock = 0;
                block++;
                _rank++;
                _blocksInGroup++;
            }
            else
            {
                // Whole blocks only, as many as fit, up to the end of the run and of the group, in one read.
                long count = Math.Min(runEnd - block, Math.Min(blocksPerChecksum - _blocksInGroup, (capacity - filled) / blockSize));
                if (count == 0)
                {
                    break;
                }
                int bytes = (int)count * blockSize;
                int got = await _input.ReadAsync(memory.Slice(filled, bytes), cancellationToken).ConfigureAwait(false);
                if (got < bytes)
                {
                    ThrowBlockTruncated(header, block + (got / blockSize), _rank + (got / blockSize), got % blockSize);
                }
                filled += bytes;
                block += count;
                _rank += count;
                _blocksInGroup += count;
            }

            if (checksums && (_blocksInGroup == blocksPerChecksum || _rank == used))
            {
                marks.Add(await ReadChecksumAsync(header, filled, _group, _groupStart, block - 1, _rank - 1, cancellationToken).ConfigureAwait(false));
                _group++;
                _blocksInGroup = 0;
            }
        }
        return filled;
    }

    private async ValueTask<PartcloneChecksumMark> ReadChecksumAsync(
        PartcloneHeader header, int position, long group, long groupStart, long lastBlock, long lastRank, CancellationToken cancellationToken)
    {
        long offset = _input.Position;
        int size = header.ChecksumSize;
        int got = await _input.ReadAsync(_checksumBytes.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
        if (got < size)
        {
            string field = header.FormatVersion == PartcloneImageVersion.V1
                ? $"CRC of data block {lastBlock} (rank {lastRank})"
                : $"checksum of group {group}";
            PartcloneThrowHelper.ThrowTruncated(field, offset, size, got, header.ExpectedImageSize);
        }
        Interlocked.Increment(ref _checksumsRead);
        UInt128 stored = PartcloneGroupHash.ReadStored(_checksumBytes.AsSpan(0, size));
        return new PartcloneChecksumMark(position, stored, group, offset, groupStart);
    }

    private static void ThrowBlockTruncated(PartcloneHeader header, long block, long rank, long present) =>
        PartcloneThrowHelper.ThrowTruncated($"data block {block} (rank {rank})", header.GetBlockImageOffset(rank),
            header.BlockSize, present, header.ExpectedImageSize);

    /// <inheritdoc />
    public JsonObject? DescribeAfterRun() => new()
    {
        ["bytesRead"] = BytesRead,
        ["expectedImageSize"] = _header?.ExpectedImageSize,
        ["checksumsRead"] = ChecksumsRead,
        ["complete"] = _complete,
    };

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_leaveOpen)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static InvalidOperationException NotOpen() => new("The image is not open: call OpenAsync first.");
}
