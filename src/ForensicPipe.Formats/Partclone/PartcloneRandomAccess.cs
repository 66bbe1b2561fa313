using System.Buffers;
using System.Text.Json.Nodes;
using ForensicPipe.Formats.Bitmaps;
using ForensicPipe.Formats.ImageAccess;

namespace ForensicPipe.Formats.Partclone;

/// <summary>
/// Random access to a partclone image (docs/formats/partclone.md, "Random access"). Block N is present iff its bitmap
/// bit is set; its data is at <c>data_start + R(N)·bs + floor(R(N)/bpc)·checksum_size</c>, where R(N), the number of
/// present blocks before it, comes from a <see cref="PartcloneRankIndex"/>. Absent blocks and the tail beyond
/// <c>total × block_size</c> read as the fill.
/// <para>Memory: the packed bitmap (total / 8 bytes, kept in memory: it is read once anyway to check its CRC,
/// and a lookup then costs no system call) plus 8 bytes per index entry; with
/// <see cref="RandomAccessOptions.VerifyReads"/> one bit per checksum group. A 1 TiB partition of 4 KiB blocks:
/// 32 MiB + 2 MiB at the default index size.</para>
/// <para>With <see cref="RandomAccessOptions.VerifyReads"/> the first read that touches a checksum group reads the
/// whole group and its stored checksum (pc-crc, docs/formats/partclone.md, "Checksums"; XXH64 or XXH3-128, docs/formats/partclone.md)
/// and compares them; a verified group is not read again. That needs groups that restart the checksum
/// (reseed = 1, partclone's default); <c>-K</c> images and format 0001 (whose chain covers all blocks before)
/// are refused for it.</para>
/// </summary>
public sealed class PartcloneRandomAccess : IRandomAccessImage, IUsedBlockReader
{
    /// <summary>Most bytes read at once while verifying a group.</summary>
    private const int VerifyChunkSize = 1 << 20;

    private readonly ImageFile _file;
    private readonly PartcloneHeader _header;
    private readonly PartcloneBitmap _bitmap;
    private readonly PartcloneRankIndex _index;
    private readonly BitmapRandomReader _reader;
    private readonly ulong[]? _verifiedGroups;
    private long _groupsVerified;

    [ThreadStatic]
    private static PartcloneGroupHash? t_hash;

    private PartcloneRandomAccess(ImageFile file, PartcloneHeader header, PartcloneBitmap bitmap, PartcloneRankIndex index, RandomAccessOptions options)
    {
        _file = file;
        _header = header;
        _bitmap = bitmap;
        _index = index;
        _reader = new BitmapRandomReader(bitmap, index, header.BlockSize, header.PartitionSize, options.Fill, this);
        if (options.VerifyReads)
        {
            _verifiedGroups = new ulong[(header.ChecksumCount + 63) / 64];
        }
    }

    /// <summary>Format name.</summary>
    public const string FormatName = PartcloneReader.FormatName;

    /// <inheritdoc />
    public string Path => _file.Path;

    /// <inheritdoc />
    public string Format => FormatName;

    /// <inheritdoc />
    public long Length => _header.PartitionSize;

    /// <inheritdoc />
    public string? FileSystem => _header.FileSystem;

    /// <summary>The validated header.</summary>
    public PartcloneHeader Header => _header;

    /// <summary>Blocks per index entry.</summary>
    public int IndexSize => _index.BlocksPerEntry;

    /// <summary>Bytes of the rank index alone (8 per entry).</summary>
    public long RankIndexBytes => _index.MemoryBytes;

    /// <summary>Bytes of the packed bitmap held in memory.</summary>
    public long BitmapBytes => _bitmap.AllocatedBytes;

    /// <inheritdoc />
    public long IndexMemoryBytes => RankIndexBytes + BitmapBytes + ((long)(_verifiedGroups?.Length ?? 0) * sizeof(ulong));

    /// <summary>Checksum groups verified so far (with <see cref="RandomAccessOptions.VerifyReads"/>).</summary>
    public long GroupsVerified => Interlocked.Read(ref _groupsVerified);

    /// <summary>
    /// Reads and checks the header and bitmap through the sequential reader's validation (magic, header CRC,
    /// bitmap CRC, set-bit count), checks the file is exactly as long as the header implies, and builds the
    /// rank index. Takes over <paramref name="file"/> on success.
    /// </summary>
    public static async ValueTask<PartcloneRandomAccess> OpenAsync(ImageFile file, RandomAccessOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var reader = new PartcloneReader(new ImageFileStream(file), file.Path);
        await using (reader.ConfigureAwait(false))
        {
            await reader.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        PartcloneHeader header = reader.Header;
        CheckLength(file, header);
        if (options.VerifyReads)
        {
            CheckVerifiable(file.Path, header);
        }
        PartcloneRankIndex index;
        try
        {
            index = PartcloneRankIndex.Build(reader.Bitmap, options.IndexSize);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new RandomAccessRefusedException(file.Path,
                $"{header.TotalBlocks} blocks need more index entries than an array holds at index size {options.IndexSize}", "use a larger --index-size");
        }
        return new PartcloneRandomAccess(file, header, reader.Bitmap, index, options);
    }

    private static void CheckLength(ImageFile file, PartcloneHeader header)
    {
        if (file.Length < header.ExpectedImageSize)
        {
            PartcloneThrowHelper.ThrowInvalid("end of image", file.Length,
                $"image truncated: it ends at byte {file.Length}, expected image size {header.ExpectedImageSize} bytes; random access needs the "
                + "complete image (fpipe restore recovers the blocks before the end)");
        }
        // A block device may be larger than the image written onto it; a file must end with the data section.
        if (file.Length > header.ExpectedImageSize && !file.IsBlockDevice)
        {
            PartcloneThrowHelper.ThrowInvalid("end of image", header.ExpectedImageSize,
                $"the image continues after its data section: {file.Length} bytes, expected {header.ExpectedImageSize}");
        }
    }

    private static void CheckVerifiable(string path, PartcloneHeader header)
    {
        string? reason = header switch
        {
            { FormatVersion: PartcloneImageVersion.V1 } =>
                "format 0001 chains its CRC over all blocks before, so a block can be checked only in one sequential pass",
            { ChecksumsEnabled: false } => "the image stores no data checksums (partclone -a0)",
            { Reseed: false } => "the checksums run over all data without restarting (partclone -K), so a group can be checked only in one sequential pass",
            _ => null,
        };
        if (reason is not null)
        {
            throw new RandomAccessRefusedException(path, $"--verify-reads: {reason}", $"check the whole image with fpipe verify '{path}'");
        }
    }

    /// <summary>Whether block <paramref name="block"/> (0 ≤ block &lt; total_blocks) is in the image.</summary>
    public bool IsBlockPresent(long block)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(block);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(block, _header.TotalBlocks);
        return _bitmap.IsSet(block);
    }

    /// <inheritdoc />
    public int Read(long offset, Span<byte> destination) => _reader.Read(offset, destination);

    void IUsedBlockReader.ReadUsed(long rank, long inBlock, Span<byte> destination) => ReadPresent(rank, (int)inBlock, destination);

    /// <summary>Reads present blocks from rank <paramref name="rank"/> on, starting <paramref name="inBlock"/>
    /// bytes into the first; contiguous in the image except for the checksum after every bpc-th block.</summary>
    private void ReadPresent(long rank, int inBlock, Span<byte> destination)
    {
        long blockSize = _header.BlockSize;
        bool checksums = _header.ChecksumsEnabled;
        long blocksPerChecksum = _header.BlocksPerChecksum;
        while (!destination.IsEmpty)
        {
            long contiguous = checksums
                ? ((blocksPerChecksum - (rank % blocksPerChecksum)) * blockSize) - inBlock
                : long.MaxValue;
            int length = (int)Math.Min(destination.Length, contiguous);
            if (_verifiedGroups is not null)
            {
                long lastRank = rank + ((inBlock + length - 1) / blockSize);
                for (long group = rank / blocksPerChecksum; group <= lastRank / blocksPerChecksum; group++)
                {
                    VerifyGroup(group);
                }
            }
            long imageOffset = _header.GetBlockImageOffset(rank) + inBlock;
            int got = _file.ReadAt(imageOffset, destination[..length]);
            if (got < length)
            {
                PartcloneThrowHelper.ThrowTruncated($"data block of rank {rank + ((inBlock + got) / blockSize)}", imageOffset, length, got, _header.ExpectedImageSize);
            }
            destination = destination[length..];
            long advanced = inBlock + (long)length;
            rank += advanced / blockSize;
            inBlock = (int)(advanced % blockSize);
        }
    }

    /// <summary>Reads group <paramref name="group"/> and its stored checksum (reseed = 1: the state starts afresh
    /// for every group, docs/formats/partclone.md, "Format 0002: data and checksum interleave") unless it was verified before.</summary>
    private void VerifyGroup(long group)
    {
        ulong[] verified = _verifiedGroups!;
        int word = (int)(group >> 6);
        ulong bit = 1UL << (int)(group & 63);
        if ((Volatile.Read(ref verified[word]) & bit) != 0)
        {
            return;
        }
        long firstRank = group * _header.BlocksPerChecksum;
        long lastRank = Math.Min(firstRank + _header.BlocksPerChecksum, _header.UsedBlocks);
        long start = _header.GetBlockImageOffset(firstRank);
        long length = (lastRank - firstRank) * _header.BlockSize;
        long checksumOffset = _header.GetChecksumImageOffset(group);
        int size = _header.ChecksumSize;
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(VerifyChunkSize, Math.Max(length, size)));
        PartcloneGroupHash hash = RentHash();
        try
        {
            for (long done = 0; done < length;)
            {
                int step = (int)Math.Min(buffer.Length, length - done);
                int got = _file.ReadAt(start + done, buffer.AsSpan(0, step));
                if (got < step)
                {
                    PartcloneThrowHelper.ThrowTruncated($"checksum group {group}", start, length, done + got, _header.ExpectedImageSize);
                }
                hash.Append(buffer.AsSpan(0, step));
                done += step;
            }
            if (_file.ReadAt(checksumOffset, buffer.AsSpan(0, size)) < size)
            {
                PartcloneThrowHelper.ThrowTruncated($"checksum of group {group}", checksumOffset, size, 0, _header.ExpectedImageSize);
            }
            UInt128 stored = PartcloneGroupHash.ReadStored(buffer.AsSpan(0, size));
            UInt128 computed = hash.Current;
            if (stored != computed)
            {
                long firstBlock = FindBlockOfRank(firstRank);
                PartcloneThrowHelper.ThrowChecksumMismatch($"checksum of group {group}", checksumOffset,
                    $"{_header.ChecksumModeName} stored 0x{PartcloneGroupHash.Format(stored, size)}, computed 0x{PartcloneGroupHash.Format(computed, size)} "
                    + $"over image bytes {start}..{start + length - 1} "
                    + $"(ranks {firstRank}..{lastRank - 1}, first block {firstBlock} at partition byte {firstBlock * _header.BlockSize})");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ReturnHash(hash);
        }
        // Two threads may verify the same group at once; it counts once.
        if ((Interlocked.Or(ref verified[word], bit) & bit) == 0)
        {
            Interlocked.Increment(ref _groupsVerified);
        }
    }

    /// <summary>A reset checksum state of the image's mode; reads may come from several threads at once, so each
    /// thread keeps one (no allocation per group once warm).</summary>
    private PartcloneGroupHash RentHash()
    {
        PartcloneGroupHash? hash = t_hash;
        if (hash is not null && hash.Mode == _header.ChecksumMode)
        {
            t_hash = null;
            return hash;
        }
        return new PartcloneGroupHash(_header.ChecksumMode);
    }

    private static void ReturnHash(PartcloneGroupHash hash)
    {
        hash.Reset();
        t_hash = hash;
    }

    /// <summary>The block whose rank is <paramref name="rank"/> (binary search on R; for messages only).</summary>
    private long FindBlockOfRank(long rank)
    {
        long low = 0;
        long high = _header.TotalBlocks - 1;
        while (low < high)
        {
            long middle = low + ((high - low) / 2);
            if (_index.Rank(middle + 1) <= rank)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }

    /// <inheritdoc />
    public JsonObject Describe()
    {
        JsonObject json = _header.Describe();
        json["format"] = FormatName;
        json["indexSize"] = IndexSize;
        json["indexEntries"] = _index.Entries;
        json["indexBytes"] = RankIndexBytes;
        json["bitmapBytesInMemory"] = BitmapBytes;
        json["verifyReads"] = _verifiedGroups is not null;
        return json;
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
