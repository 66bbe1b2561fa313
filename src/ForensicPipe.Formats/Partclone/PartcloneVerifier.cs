using System.Collections.Immutable;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.Checksums;

namespace ForensicPipe.Formats.Partclone;

/// <summary>
/// Checks a partclone image's data checksums from the extents of its <see cref="PartcloneReader"/>, with the
/// stored values the reader attaches (<see cref="PartcloneChecksumMark"/>). Called sequentially, in offset
/// order, on one thread; it keeps the checksum state across extents.
/// <list type="bullet">
/// <item>Format 0002, mode 0x20, 0x30 or 0x31: pc-crc (docs/formats/partclone.md, "Checksums"), XXH64 or XXH3-128
/// (docs/formats/partclone.md, "XXH checksums") of each group of <c>blocks_per_checksum</c> blocks; the
/// state restarts after each stored value when reseed = 1, and runs over all data when reseed = 0
/// (<c>-K</c>). The data of an extent is hashed in as few spans as its group ends allow.</item>
/// <item>Format 0001: partclone's buggy CRC (docs/formats/partclone.md, "The 0001 first-byte CRC"): per block, the block's first byte fed
/// <c>block_size</c> times into a register that is never reset. It protects only the first byte of each
/// block and the chain of stored values.</item>
/// </list>
/// Extents without the reader's annotation (e.g. made by a fill stage) are ignored. The header and bitmap
/// CRCs, which the reader checked when it opened the image, are recorded first.
/// </summary>
public sealed class PartcloneVerifier : IImageVerifier
{
    /// <summary>Largest scratch buffer used to feed a repeated byte (format 0001).</summary>
    private const int RepeatScratchSize = 64 * 1024;

    private readonly PartcloneHeader _header;
    private readonly ChecksumResult? _headerResult;
    private readonly ChecksumResult? _bitmapResult;
    private readonly PartcloneGroupHash? _hash;
    private uint _register = PartcloneHeader.CrcSeed;
    private long _groupsChecked;
    private long _dataBytes;
    private bool _openChecksRecorded;
    private byte[]? _repeat;
    private int _repeatValue = -1;

    internal PartcloneVerifier(PartcloneHeader header, ChecksumResult? headerResult, ChecksumResult? bitmapResult)
    {
        _header = header;
        _headerResult = headerResult;
        _bitmapResult = bitmapResult;
        Method = DescribeMethod(header);
        if (header.FormatVersion == PartcloneImageVersion.V2 && header.ChecksumsEnabled)
        {
            _hash = new PartcloneGroupHash(header.ChecksumMode);
        }
    }

    /// <inheritdoc />
    public string Method { get; }

    /// <summary>Stored data checksums compared so far.</summary>
    public long GroupsChecked => _groupsChecked;

    /// <inheritdoc />
    public void Verify(Extent extent, VerificationLog log)
    {
        ArgumentNullException.ThrowIfNull(extent);
        ArgumentNullException.ThrowIfNull(log);
        RecordOpenChecks(log);
        if (extent.Kind != ExtentKind.Data || extent.Annotation is not ImmutableArray<PartcloneChecksumMark> marks)
        {
            return;
        }

        ReadOnlySpan<byte> data = extent.Span;
        _dataBytes += data.Length;
        if (!_header.ChecksumsEnabled)
        {
            return;
        }
        if (_header.FormatVersion == PartcloneImageVersion.V1)
        {
            VerifyFirstByteCrc(extent.Offset, data, marks, log);
        }
        else
        {
            VerifyGroups(data, marks, log);
        }
    }

    /// <inheritdoc />
    public void Complete(VerificationLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        RecordOpenChecks(log);
        if (_header.ChecksumsEnabled)
        {
            if (_groupsChecked < _header.ChecksumCount)
            {
                log.Record(new ChecksumResult("group", _groupsChecked, _header.GetChecksumImageOffset(_groupsChecked), -1,
                    $"{_header.ChecksumCount} checksums", $"{_groupsChecked} checksums (data missing)"));
            }
        }
        else
        {
            long expected = _header.UsedBlocks * _header.BlockSize;
            if (_dataBytes < expected)
            {
                log.Record(new ChecksumResult("data", -1, _header.GetBlockImageOffset(_dataBytes / _header.BlockSize), -1,
                    $"{expected} bytes", $"{_dataBytes} bytes (data missing)"));
            }
        }
    }

    private void VerifyGroups(ReadOnlySpan<byte> data, ImmutableArray<PartcloneChecksumMark> marks, VerificationLog log)
    {
        PartcloneGroupHash hash = _hash!;
        bool reseed = _header.Reseed;
        int position = 0;
        foreach (PartcloneChecksumMark mark in marks)
        {
            hash.Append(data[position..mark.Position]);
            Compare(mark, hash.Current, log);
            if (reseed)
            {
                hash.Reset();
            }
            position = mark.Position;
        }
        hash.Append(data[position..]);
    }

    private void VerifyFirstByteCrc(long partitionOffset, ReadOnlySpan<byte> data, ImmutableArray<PartcloneChecksumMark> marks, VerificationLog log)
    {
        // Extents hold whole runs of consecutive blocks, so blocks start where the partition offset is a
        // multiple of the block size; a block split across extents starts in an earlier one.
        long blockSize = _header.BlockSize;
        long first = (blockSize - (partitionOffset % blockSize)) % blockSize;
        int next = 0;
        for (long start = first; start < data.Length; start += blockSize)
        {
            while (next < marks.Length && marks[next].Position <= start)
            {
                Compare(marks[next++], _register, log);
            }
            _register = FeedRepeated(_register, data[(int)start], _header.BlockSize);
        }
        while (next < marks.Length)
        {
            Compare(marks[next++], _register, log);
        }
    }

    /// <summary>The register after feeding <paramref name="value"/> <paramref name="count"/> times.</summary>
    private uint FeedRepeated(uint register, byte value, int count)
    {
        if (_repeat is null)
        {
            _repeat = new byte[Math.Min(count, RepeatScratchSize)];
        }
        if (_repeatValue != value)
        {
            _repeat.AsSpan().Fill(value);
            _repeatValue = value;
        }
        while (count > 0)
        {
            int step = Math.Min(count, _repeat.Length);
            register = Crc32.Update(register, _repeat.AsSpan(0, step));
            count -= step;
        }
        return register;
    }

    private void Compare(PartcloneChecksumMark mark, UInt128 computed, VerificationLog log)
    {
        _groupsChecked++;
        if (mark.StoredValue == computed)
        {
            log.RecordMatch();
        }
        else
        {
            int size = _header.ChecksumSize;
            log.Record(new ChecksumResult("group", mark.GroupIndex, mark.ImageOffset, mark.PartitionOffset,
                PartcloneGroupHash.Format(mark.StoredValue, size), PartcloneGroupHash.Format(computed, size)));
        }
    }

    private void RecordOpenChecks(VerificationLog log)
    {
        if (_openChecksRecorded)
        {
            return;
        }
        _openChecksRecorded = true;
        if (_headerResult is not null)
        {
            log.Record(_headerResult);
        }
        if (_bitmapResult is not null)
        {
            log.Record(_bitmapResult);
        }
    }

    private static string DescribeMethod(PartcloneHeader header)
    {
        if (header.FormatVersion == PartcloneImageVersion.V1)
        {
            return "partclone 0001 per-block CRC with partclone's original bug reproduced: each stored value covers only the "
                + $"FIRST byte of its {header.BlockSize}-byte block (fed block_size times), chained over all blocks; the other "
                + $"{header.BlockSize - 1} bytes of every block are NOT checked, and the header and bitmap have no checksum";
        }
        if (!header.ChecksumsEnabled)
        {
            return "header CRC and bitmap CRC only: the image stores no data checksums (partclone -a0), so damaged data "
                + "blocks cannot be detected";
        }
        return $"{header.ChecksumCoverage}; algorithm {header.ChecksumAlgorithm}; plus the header and bitmap CRCs";
    }
}
