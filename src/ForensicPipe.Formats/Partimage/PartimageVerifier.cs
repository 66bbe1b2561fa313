using System.Collections.Immutable;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.Checksums;

namespace ForensicPipe.Formats.Partimage;

/// <summary>
/// Checks a partimage image from the extents of its <see cref="PartimageReader"/>: every CHK record
/// (docs/formats/partimage.md, "Data blocks and CHK records": the standard CRC-32 of each 65536 data bytes, and its
/// position field, the first block of the 256 KiB copy run holding the last covered byte) from the marks the reader
/// attaches, and at the end the tail's global sum (docs/formats/partimage.md, "Checksums"): the reader's sum of every
/// non-data byte plus this verifier's sum of the data bytes. Called sequentially, in offset order, on one thread; the
/// CRC register and the sum run across extents. Extents without the reader's annotation (e.g. made by a fill stage) are
/// ignored. The header sums, which the reader checked when it opened the image, are recorded first.
/// </summary>
public sealed class PartimageVerifier : IImageVerifier
{
    /// <summary>Bytes fed to the CRC and the sum together, so that both passes find them in cache.</summary>
    private const int Step = 64 * 1024;

    private readonly long _dataBytes;
    private readonly long _chkCount;
    private readonly long _dataStart;
    private readonly IReadOnlyList<ChecksumResult> _openResults;
    private uint _register = 0xFFFFFFFF;
    private ulong _dataSum;
    private long _dataSeen;
    private long _chkChecked;
    private bool _openChecksRecorded;
    private PartimageTail _tail;
    private bool _tailSet;
    private ulong _structureSum;

    internal PartimageVerifier(long dataBytes, long chkCount, long dataStart, IReadOnlyList<ChecksumResult> openResults)
    {
        _dataBytes = dataBytes;
        _chkCount = chkCount;
        _dataStart = dataStart;
        _openResults = openResults;
        long uncheckedBytes = dataBytes % PartimageFieldOffsets.Chk.Interval;
        Method = $"partimage CRC-32 of every 65536 data bytes ({chkCount} CHK records) and each CHK's block position; "
            + $"the last {uncheckedBytes} data bytes have no CHK and are covered only by the tail's 64-bit byte sum, which also "
            + "covers the headers, bitmap and CHK records (the bitmap has no other check); main, local and info header sums";
    }

    /// <inheritdoc />
    public string Method { get; }

    /// <summary>CHK records compared so far.</summary>
    public long ChkChecked => _chkChecked;

    /// <summary>Sum of the data bytes seen so far (part of the tail sum).</summary>
    public ulong DataSum => _dataSum;

    /// <summary>Called by the reader once it has read the tail: the stored values and its sum of the non-data bytes
    /// from the main header through <c>MAGIC-BEGIN-TAIL</c>.</summary>
    internal void SetTail(PartimageTail tail, ulong structureSum)
    {
        _structureSum = structureSum;
        _tail = tail;
        Volatile.Write(ref _tailSet, true);
    }

    /// <inheritdoc />
    public void Verify(Extent extent, VerificationLog log)
    {
        ArgumentNullException.ThrowIfNull(extent);
        ArgumentNullException.ThrowIfNull(log);
        RecordOpenChecks(log);
        if (extent.Kind != ExtentKind.Data || extent.Annotation is not ImmutableArray<PartimageChkMark> marks)
        {
            return;
        }

        ReadOnlySpan<byte> data = extent.Span;
        _dataSeen += data.Length;
        int position = 0;
        foreach (PartimageChkMark mark in marks)
        {
            Feed(data[position..mark.Position]);
            Compare(mark, ~_register, log);
            _register = 0xFFFFFFFF;
            position = mark.Position;
        }
        Feed(data[position..]);
    }

    private void Feed(ReadOnlySpan<byte> data)
    {
        uint register = _register;
        ulong sum = 0;
        while (!data.IsEmpty)
        {
            ReadOnlySpan<byte> piece = data[..Math.Min(Step, data.Length)];
            register = Crc32.Update(register, piece);
            sum += PartimageSums.ByteSum(piece);
            data = data[piece.Length..];
        }
        _register = register;
        _dataSum += sum;
    }

    /// <inheritdoc />
    public void Complete(VerificationLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        RecordOpenChecks(log);
        if (_chkChecked < _chkCount || _dataSeen < _dataBytes)
        {
            log.Record(new ChecksumResult("CHK", _chkChecked, _dataStart + _dataSeen + (_chkChecked * PartimageFieldOffsets.Chk.Size), -1,
                $"{_chkCount} CHK records over {_dataBytes} data bytes", $"{_chkChecked} CHK records over {_dataSeen} data bytes (data missing)"));
        }
        if (!Volatile.Read(ref _tailSet))
        {
            log.Record(new ChecksumResult("tail", -1, -1, -1, "a tail", "none: the image ended before its tail"));
            return;
        }
        ulong computed = _structureSum + _dataSum;
        log.Record(new ChecksumResult("tail", -1, _tail.Offset + PartimageFieldOffsets.Tail.GlobalSum, -1, $"{_tail.GlobalSum:x16}", $"{computed:x16}"));
    }

    private void Compare(PartimageChkMark mark, uint computed, VerificationLog log)
    {
        _chkChecked++;
        bool crcOk = mark.StoredCrc == computed;
        bool positionOk = mark.StoredPosition == (ulong)mark.ExpectedPosition;
        if (crcOk && positionOk)
        {
            log.RecordMatch();
            return;
        }
        if (!crcOk)
        {
            log.Record(new ChecksumResult("CHK", mark.Index, mark.ImageOffset, mark.PartitionOffset, $"{mark.StoredCrc:x8}", $"{computed:x8}"));
        }
        if (!positionOk)
        {
            log.Record(new ChecksumResult("CHK position", mark.Index, mark.ImageOffset + PartimageFieldOffsets.Chk.Position, mark.PartitionOffset,
                $"block {mark.StoredPosition}", $"block {mark.ExpectedPosition}"));
        }
    }

    private void RecordOpenChecks(VerificationLog log)
    {
        if (_openChecksRecorded)
        {
            return;
        }
        _openChecksRecorded = true;
        foreach (ChecksumResult result in _openResults)
        {
            log.Record(result);
        }
    }
}
