using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json.Nodes;
using ForensicPipe.Formats.Bitmaps;
using ForensicPipe.Formats.Checksums;
using ForensicPipe.Formats.ImageAccess;
using ForensicPipe.Formats.Partclone;
using Chk = ForensicPipe.Formats.Partimage.PartimageFieldOffsets.Chk;

namespace ForensicPipe.Formats.Partimage;

/// <summary>
/// Random access to a partimage image of uncompressed volumes (docs/formats/partimage.md, "Random access"). The headers
/// and bitmap are read and checked by <see cref="PartimageReader"/>; a <see cref="PartcloneRankIndex"/> over the bitmap
/// gives the rank R(N) of a saved block, whose bytes start at data position <c>x = R(N) × block_size</c>, at logical
/// offset <c>data_start + x + 16 × floor(x / 65536)</c> (one 16-byte CHK record after every 65536 data bytes), and the
/// logical stream is the concatenation of the volume files less their 512-byte headers. Blocks the image does not
/// hold, and the partition beyond block_count × block_size, read as the fill.
/// <para>With <see cref="RandomAccessOptions.VerifyReads"/> the first read that touches a 65536-byte CHK group reads
/// the whole group and its CHK record and compares the CRC-32; the last data bytes, which have no CHK
/// (docs/formats/partimage.md, "Data blocks and CHK records"), are covered only by the tail sum, which needs a
/// sequential pass (<c>fpipe verify</c>).</para>
/// </summary>
public sealed class PartimageRandomAccess : IRandomAccessImage, IUsedBlockReader
{
    private readonly ImageFile[] _volumes;
    private readonly long[] _volumeStarts; // logical offset of the first byte after each volume's header
    private readonly PartimageMainHeader _main;
    private readonly PartimageLocalHeader _local;
    private readonly PartcloneRankIndex _index;
    private readonly BitmapRandomReader _reader;
    private readonly long _dataStart;
    private readonly long _dataBytes;
    private readonly ulong[]? _verifiedGroups;

    private PartimageRandomAccess(ImageFile[] volumes, long[] volumeStarts, PartimageReader reader, PartcloneRankIndex index, RandomAccessOptions options)
    {
        _volumes = volumes;
        _volumeStarts = volumeStarts;
        _main = reader.MainHeader;
        _local = reader.LocalHeader;
        _index = index;
        _reader = new BitmapRandomReader(reader.Bitmap, index, _local.BlockSize, _main.PartitionSize, options.Fill, this);
        _dataStart = reader.DataStart;
        _dataBytes = reader.Bitmap.SetCount * _local.BlockSize;
        if (options.VerifyReads)
        {
            _verifiedGroups = new ulong[((_dataBytes / Chk.Interval) + 63) / 64];
        }
    }

    /// <inheritdoc />
    public string Path => _volumes[0].Path;

    /// <inheritdoc />
    public string Format => PartimageReader.FormatName;

    /// <inheritdoc />
    public long Length => _main.PartitionSize;

    /// <inheritdoc />
    public string? FileSystem => _main.FileSystem;

    /// <summary>The volume files, in order.</summary>
    public IReadOnlyList<string> VolumeFiles => [.. _volumes.Select(volume => volume.Path)];

    /// <inheritdoc />
    public long IndexMemoryBytes => _index.MemoryBytes + (_index.Length / 8) + ((long)(_verifiedGroups?.Length ?? 0) * sizeof(ulong));

    /// <summary>
    /// Reads and checks the headers and bitmap, opens every volume (<c>NAME.001</c>, … by name), checks each volume
    /// header and that the volumes hold exactly the logical stream the headers describe, and builds the rank index.
    /// Takes over <paramref name="file"/> on success.
    /// </summary>
    public static async ValueTask<PartimageRandomAccess> OpenAsync(ImageFile file, RandomAccessOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var reader = new PartimageReader(file.Path);
        await using (reader.ConfigureAwait(false))
        {
            await reader.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        if (reader.MainHeader.Compression != 0 || reader.Volumes.Any(volume => volume.Compression != Input.ImageCompression.None))
        {
            throw new RandomAccessRefusedException(file.Path, $"is a {reader.MainHeader.CompressionName}-compressed partimage image, which cannot be read at random offsets",
                $"restore it first (fpipe restore '{file.Path}' partition.img) and use the restored file");
        }

        var volumes = new List<ImageFile> { file };
        try
        {
            long[] starts = OpenVolumes(file, reader, volumes);
            long logicalEnd = starts[^1] + volumes[^1].Length - PartimageFieldOffsets.Volume.Size;
            long dataBytes = reader.Bitmap.SetCount * reader.LocalHeader.BlockSize;
            long expectedEnd = reader.DataStart + dataBytes + (Chk.Size * (dataBytes / Chk.Interval))
                + PartimageMagic.Tail.Length + PartimageFieldOffsets.StructureSize;
            if (logicalEnd != expectedEnd)
            {
                PartimageThrowHelper.ThrowInvalid("end of image", Math.Min(logicalEnd, expectedEnd),
                    $"the {volumes.Count} volume(s) hold {logicalEnd} logical bytes, the headers and bitmap describe {expectedEnd}; "
                    + "random access needs the complete image (fpipe restore recovers what is there)");
            }
            PartcloneRankIndex index = PartcloneRankIndex.Build(reader.Bitmap, options.IndexSize);
            return new PartimageRandomAccess([.. volumes], starts, reader, index, options);
        }
        catch
        {
            foreach (ImageFile volume in volumes.Skip(1))
            {
                volume.Dispose();
            }
            throw;
        }
    }

    /// <summary>Opens the volumes after the first by name and checks their headers (docs/formats/partimage.md,
    /// "Volume header": number = previous + 1, identifier equal, uncompressed); returns the logical start of
    /// each.</summary>
    private static long[] OpenVolumes(ImageFile first, PartimageReader reader, List<ImageFile> volumes)
    {
        int header = PartimageFieldOffsets.Volume.Size;
        var starts = new List<long> { 0 };
        string? baseName = first.Path.EndsWith(".000", StringComparison.Ordinal) ? first.Path[..^4] : null;
        for (int number = 1; baseName is not null; number++)
        {
            string path = $"{baseName}.{number.ToString("D3", CultureInfo.InvariantCulture)}";
            if (!File.Exists(path))
            {
                break;
            }
            ImageFile volume = ImageFile.Open(path);
            volumes.Add(volume);
            byte[] bytes = new byte[header];
            PartimageVolumeHeader parsed = PartimageVolumeHeader.Parse(bytes.AsSpan(0, volume.ReadAt(0, bytes)), path);
            if (parsed.Number != number || parsed.Identifier != reader.VolumeHeader.Identifier)
            {
                PartimageThrowHelper.ThrowInvalid("volume header", PartimageFieldOffsets.Volume.Number,
                    $"{path} is volume {parsed.Number} of image {parsed.IdentifierHex}, expected volume {number} of {reader.VolumeHeader.IdentifierHex}");
            }
            starts.Add(starts[^1] + volumes[^2].Length - header);
        }
        return [.. starts];
    }

    /// <inheritdoc />
    public int Read(long offset, Span<byte> destination) => _reader.Read(offset, destination);

    void IUsedBlockReader.ReadUsed(long rank, long inBlock, Span<byte> destination) => ReadData((rank * _local.BlockSize) + inBlock, destination);

    /// <summary>Reads data bytes from data position <paramref name="data"/> on, around the CHK records.</summary>
    private void ReadData(long data, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            long group = data / Chk.Interval;
            if (_verifiedGroups is not null)
            {
                VerifyGroup(group);
            }
            int length = (int)Math.Min(destination.Length, ((group + 1) * Chk.Interval) - data);
            ReadLogical(_dataStart + data + (group * Chk.Size), destination[..length], "data");
            data += length;
            destination = destination[length..];
        }
    }

    /// <summary>Reads logical-stream bytes, across volume boundaries.</summary>
    private void ReadLogical(long logical, Span<byte> destination, string what)
    {
        int volume = Array.BinarySearch(_volumeStarts, logical);
        volume = volume >= 0 ? volume : ~volume - 1;
        while (!destination.IsEmpty)
        {
            ImageFile file = _volumes[volume];
            long inVolume = logical - _volumeStarts[volume];
            long available = file.Length - PartimageFieldOffsets.Volume.Size - inVolume;
            int length = (int)Math.Min(destination.Length, available);
            int got = length <= 0 ? 0 : file.ReadAt(PartimageFieldOffsets.Volume.Size + inVolume, destination[..length]);
            if (got < length || (length <= 0 && volume == _volumes.Length - 1))
            {
                PartimageThrowHelper.ThrowInvalid(what, logical, $"{file.Path} ended while reading it (it changed after it was opened)");
            }
            logical += got;
            destination = destination[got..];
            volume++;
        }
    }

    /// <summary>Checks the CRC-32 of CHK group <paramref name="group"/> once (docs/formats/partimage.md,
    /// "Data blocks and CHK records"); the last, partial group has no CHK record and passes unchecked.</summary>
    private void VerifyGroup(long group)
    {
        ulong bit = 1UL << (int)(group % 64);
        if (group >= (_dataBytes / Chk.Interval) || (Volatile.Read(ref _verifiedGroups![group / 64]) & bit) != 0)
        {
            return;
        }
        byte[] bytes = new byte[Chk.Interval + Chk.Size];
        long logical = _dataStart + (group * (Chk.Interval + Chk.Size));
        ReadLogical(logical, bytes, $"CHK group {group}");
        ReadOnlySpan<byte> record = bytes.AsSpan(Chk.Interval);
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(record[Chk.Crc..]);
        uint computed = Crc32.Compute(bytes.AsSpan(0, Chk.Interval));
        if (!record[..4].SequenceEqual("CHK\0"u8) || stored != computed)
        {
            PartimageThrowHelper.ThrowChecksumMismatch($"CHK {group}", logical + Chk.Interval,
                $"stored {(record[..4].SequenceEqual("CHK\0"u8) ? $"0x{stored:x8}" : "no CHK record")}, computed 0x{computed:x8} over data bytes "
                + $"{group * Chk.Interval}..{((group + 1) * Chk.Interval) - 1}");
        }
        Interlocked.Or(ref _verifiedGroups[group / 64], bit);
    }

    /// <inheritdoc />
    public JsonObject Describe()
    {
        var json = new JsonObject
        {
            ["format"] = Format,
            ["fileSystem"] = FileSystem,
            ["partitionSize"] = Length,
            ["blockSize"] = _local.BlockSize,
            ["blockCount"] = _local.BlockCount,
            ["usedBlocks"] = _dataBytes / _local.BlockSize,
            ["dataStart"] = _dataStart,
            ["volumes"] = new JsonArray([.. _volumes.Select(volume => (JsonNode?)volume.Path)]),
            ["indexSize"] = _index.BlocksPerEntry,
            ["indexMemoryBytes"] = IndexMemoryBytes,
        };
        return json;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (ImageFile volume in _volumes)
        {
            volume.Dispose();
        }
    }
}
