using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.Partclone;
using Chk = ForensicPipe.Formats.Partimage.PartimageFieldOffsets.Chk;
using Mbr = ForensicPipe.Formats.Partimage.PartimageFieldOffsets.Mbr;

namespace ForensicPipe.Formats.Partimage;

// Everything before the data: volume 0, the headers and their sums, the MBR and extension records, the bitmap.
public sealed partial class PartimageReader
{
    /// <summary>
    /// Reads and validates everything before the data (docs/formats/partimage.md, "Logical stream"): volume 0's header,
    /// the main header and its sum, the MBR records, the extension records, the local header and its sum, the bitmap
    /// (used_blocks must equal its set bits below block_count), the info header and its sum, and the magic strings
    /// between them. Throws <see cref="ImageFormatException"/> naming the field, the value and its logical offset; a
    /// header sum mismatch has <see cref="ImageFormatException.IsChecksumMismatch"/> set.
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
        return new SourceInfo(Path, FormatName, _main.PartitionSize, details) { DataBytes = dataBytes };
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

    /// <summary>Reads the bitmap (docs/formats/partimage.md, "Bitmap and info header"): the first ceil(block_count/8)
    /// bytes into storage allocated as they arrive, the rest (ext2 adds 16 bytes, NTFS its whole $Bitmap allocation)
    /// only summed. Returns the bitmap and the number of set bits at or beyond block_count, which partimage
    /// ignores.</summary>
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
}
