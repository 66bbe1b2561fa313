using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Errors;
using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Formats.Ewf;

/// <summary>
/// An opened EWF-E01 set: every segment file walked section by section (each descriptor's Adler-32 checked,
/// every size and offset checked against the file before it is used), the volume geometry, the case metadata,
/// the chunk index built from the tables, the error2 ranges and the stored MD5 / SHA-1 (docs/formats/e01.md).
/// Memory is 4 bytes per chunk plus one entry per table, grown as tables are read, never sized from a header
/// field alone. Reading a chunk is safe from several threads (positional reads; the caller brings the buffers).
/// </summary>
internal sealed class EwfSet : IDisposable
{
    private readonly List<EwfSegmentFile> _segments = [];
    private readonly List<EwfTableRange> _tables = [];
    private readonly List<EwfErrorRange> _errors = [];
    private uint[] _entries = [];
    private long _chunkCount;
    private EwfVolume? _volume;
    private Dictionary<string, string>? _header2Values;
    private Dictionary<string, string>? _headerValues;

    private readonly string _suffix;

    private EwfSet(string path, string suffix)
    {
        FirstPath = path;
        _suffix = suffix;
    }

    /// <summary>The first segment file.</summary>
    public string FirstPath { get; }

    /// <summary>The segment files, in order.</summary>
    public IReadOnlyList<EwfSegmentFile> Segments => _segments;

    /// <summary>The media geometry.</summary>
    public EwfVolume Volume => _volume!.Value;

    /// <summary>Bytes per chunk.</summary>
    public int ChunkSize => (int)Volume.ChunkSize;

    /// <summary>Chunks in the set.</summary>
    public long ChunkCount => _chunkCount;

    /// <summary>Bytes of media.</summary>
    public long MediaSize => Volume.MediaSize;

    /// <summary>Largest stored form of a chunk this reader accepts: zlib's worst case for incompressible data
    /// is a few bytes per 16 KiB over the data, so twice the chunk is far beyond any writer.</summary>
    public int MaxStoredLength => (2 * ChunkSize) + 1024;

    /// <summary>The case metadata (header2 when present, else header): identifier → value.</summary>
    public IReadOnlyDictionary<string, string> CaseValues => _header2Values ?? _headerValues ?? [];

    /// <summary>Unreadable ranges recorded at acquisition.</summary>
    public IReadOnlyList<EwfErrorRange> Errors => _errors;

    /// <summary>The stored MD5, or null.</summary>
    public byte[]? StoredMd5 { get; private set; }

    /// <summary>The stored SHA-1, or null.</summary>
    public byte[]? StoredSha1 { get; private set; }

    /// <summary>Segment and offset of the stored hashes, for mismatch messages.</summary>
    public (int Segment, long Offset) HashLocation { get; private set; }

    /// <summary>The tables read, in chunk order.</summary>
    public IReadOnlyList<EwfTableRange> Tables => _tables;

    /// <summary>Bytes of the chunk index in memory.</summary>
    public long IndexBytes => ((long)_entries.Length * sizeof(uint)) + (_tables.Count * 40L);

    /// <summary>Opens the set whose first segment file is <paramref name="path"/>; <paramref name="suffix"/> is
    /// appended to every segment's name (<c>.partial</c>: a set still being written, read back by its sink).</summary>
    public static EwfSet Open(string path, string suffix = "")
    {
        var set = new EwfSet(path, suffix);
        try
        {
            set.ReadSegments();
            return set;
        }
        catch
        {
            set.Dispose();
            throw;
        }
    }

    /// <summary>Bytes of media in chunk <paramref name="chunk"/> (the last may be short).</summary>
    public int ChunkLength(long chunk) => (int)Math.Min(ChunkSize, MediaSize - (chunk * ChunkSize));

    /// <summary>Where chunk <paramref name="chunk"/> is stored.</summary>
    public EwfChunkLocation Locate(long chunk)
    {
        int low = 0, high = _tables.Count - 1;
        while (low < high)
        {
            int middle = (low + high + 1) / 2;
            if (_tables[middle].FirstChunk <= chunk)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }
        EwfTableRange table = _tables[low];
        uint entry = _entries[chunk];
        long offset = table.BaseOffset + (entry & EwfFormat.OffsetMask);
        long end = chunk + 1 < table.FirstChunk + table.Count
            ? table.BaseOffset + (_entries[chunk + 1] & EwfFormat.OffsetMask)
            : table.EndOffset;
        return new EwfChunkLocation(table.Segment, offset, (int)(end - offset), (entry & EwfFormat.CompressedFlag) != 0);
    }

    /// <summary>Decodes chunk <paramref name="chunk"/>, whose stored bytes are in <paramref name="stored"/> at
    /// <paramref name="storedOffset"/>, into <paramref name="destination"/> (exactly its length), checking the
    /// zlib stream or the Adler-32. A damaged chunk is a checksum mismatch naming the segment and offset.</summary>
    public void Decode(long chunk, EwfChunkLocation location, byte[] stored, int storedOffset, Span<byte> destination, EwfChunkCodec codec)
    {
        string segment = _segments[location.Segment].Path;
        if (location.Compressed)
        {
            string? problem = codec.Inflate(stored, storedOffset, location.StoredLength, destination);
            if (problem is not null)
            {
                EwfThrowHelper.ThrowMismatch(segment, $"chunk {chunk}", location.Offset, problem);
            }
            return;
        }
        if (location.StoredLength != destination.Length + 4)
        {
            EwfThrowHelper.ThrowInvalid(segment, $"chunk {chunk}", location.Offset,
                $"an uncompressed chunk of {destination.Length} bytes is stored in {location.StoredLength} bytes, not {destination.Length + 4}");
        }
        ReadOnlySpan<byte> data = stored.AsSpan(storedOffset, destination.Length);
        uint expected = BinaryPrimitives.ReadUInt32LittleEndian(stored.AsSpan(storedOffset + destination.Length));
        uint actual = EwfAdler32.Compute(data);
        if (expected != actual)
        {
            EwfThrowHelper.ThrowMismatch(segment, $"chunk {chunk}", location.Offset,
                $"stored Adler-32 {expected:x8}, computed {actual:x8}");
        }
        data.CopyTo(destination);
    }

    /// <summary>Reads stored bytes at <paramref name="offset"/> of segment <paramref name="segment"/> into <paramref name="destination"/>.</summary>
    public void ReadStored(int segment, long offset, Span<byte> destination)
    {
        EwfSegmentFile file = _segments[segment];
        int filled = 0;
        try
        {
            while (filled < destination.Length)
            {
                int read = RandomAccess.Read(file.Handle, destination[filled..], offset + filled);
                if (read == 0)
                {
                    EwfThrowHelper.ThrowInvalid(file.Path, "chunk data", offset,
                        $"file truncated: it ends at byte {offset + filled}, {destination.Length} bytes needed");
                }
                filled += read;
            }
        }
        catch (IOException exception)
        {
            throw new DeviceIOException(file.Path, offset + filled, $"read failed: {exception.Message}", exception);
        }
    }

    /// <summary>The facts for <c>info</c> and the report.</summary>
    public JsonObject Describe()
    {
        var caseNode = new JsonObject();
        foreach ((string key, string name) in s_caseNames)
        {
            if (CaseValues.TryGetValue(key, out string? value) && value.Length > 0)
            {
                caseNode[name] = key is "m" or "u" && _header2Values is not null && long.TryParse(value, out long seconds)
                    ? DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("O")
                    : value;
            }
        }
        return new JsonObject
        {
            ["format"] = "EWF-E01 (Expert Witness / EnCase)",
            ["segments"] = new JsonArray([.. _segments.Select(segment => (JsonNode?)segment.Path)]),
            ["case"] = caseNode,
            ["mediaType"] = Volume.MediaType,
            ["physical"] = (Volume.MediaFlags & EwfVolume.PhysicalFlag) != 0,
            ["bytesPerSector"] = Volume.BytesPerSector,
            ["sectorCount"] = Volume.SectorCount,
            ["sectorsPerChunk"] = Volume.SectorsPerChunk,
            ["chunkCount"] = _chunkCount,
            ["mediaSize"] = MediaSize,
            ["compressionLevel"] = Volume.CompressionLevel switch { 0 => "none", 1 => "fast", 2 => "best", _ => Volume.CompressionLevel.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["errorGranularity"] = Volume.ErrorGranularity,
            ["setIdentifier"] = Volume.SetIdentifier.ToString(),
            ["md5"] = StoredMd5 is null ? null : Convert.ToHexStringLower(StoredMd5),
            ["sha1"] = StoredSha1 is null ? null : Convert.ToHexStringLower(StoredSha1),
            ["errorRanges"] = new JsonArray([.. _errors.Select(range => (JsonNode?)new JsonObject
            {
                ["firstSector"] = range.FirstSector,
                ["sectorCount"] = range.SectorCount,
            })]),
        };
    }

    private static readonly (string Key, string Name)[] s_caseNames =
    [
        ("c", "caseNumber"), ("n", "evidenceNumber"), ("e", "examiner"), ("a", "description"), ("t", "notes"),
        ("md", "model"), ("sn", "serialNumber"), ("av", "softwareVersion"), ("ov", "operatingSystem"),
        ("m", "acquired"), ("u", "systemDate"),
    ];

    private void ReadSegments()
    {
        bool done = false;
        for (int number = 1; !done; number++)
        {
            if (number > EwfFormat.MaxSegments)
            {
                EwfThrowHelper.ThrowInvalid(FirstPath, "segment files", 0, $"more than {EwfFormat.MaxSegments} segments without a done section");
            }
            string path = (number == 1 ? FirstPath : EwfSegmentNames.PathOf(FirstPath, number)) + _suffix;
            if (number > 1 && !File.Exists(path))
            {
                EwfThrowHelper.ThrowInvalid(_segments[^1].Path, "next section", _segments[^1].Length,
                    $"segment {number - 1} ends with next, but segment file {System.IO.Path.GetFileName(path)} does not exist");
            }
            done = ReadSegment(path, number);
        }
        if (_volume is null)
        {
            EwfThrowHelper.ThrowInvalid(FirstPath, "volume section", EwfFormat.FileHeaderSize, "the set has no volume section");
        }
        if (_chunkCount != Volume.ChunkCount)
        {
            EwfThrowHelper.ThrowInvalid(_segments[^1].Path, "tables", _segments[^1].Length,
                $"the tables list {_chunkCount} chunks, the volume section {Volume.ChunkCount}");
        }
    }

    private bool ReadSegment(string path, int number)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new DeviceIOException(path, 0, $"cannot open the segment file: {exception.Message}", exception);
        }
        var file = new EwfSegmentFile(path, handle, RandomAccess.GetLength(handle));
        _segments.Add(file);
        int segment = _segments.Count - 1;

        Span<byte> header = stackalloc byte[EwfFormat.FileHeaderSize];
        ReadExactly(file, 0, header, "file header");
        if (!header.StartsWith(EwfFormat.Signature))
        {
            EwfThrowHelper.ThrowInvalid(path, "signature", 0, $"not an EWF-E01 segment file (first bytes {Convert.ToHexStringLower(header[..8])})");
        }
        int stored = BinaryPrimitives.ReadUInt16LittleEndian(header[EwfFieldOffsets.FileSegmentNumber..]);
        if (stored != number)
        {
            EwfThrowHelper.ThrowInvalid(path, "segment number", EwfFieldOffsets.FileSegmentNumber, $"{stored}, expected {number}");
        }

        Span<byte> descriptorBytes = stackalloc byte[EwfFormat.SectionDescriptorSize];
        long offset = EwfFormat.FileHeaderSize;
        (long Start, long End) sectors = (-1, -1);
        while (true)
        {
            ReadExactly(file, offset, descriptorBytes, "section descriptor");
            EwfSectionDescriptor descriptor = EwfSectionDescriptor.Parse(descriptorBytes, path, offset);
            if (descriptor.Type is EwfFormat.Sections.Next or EwfFormat.Sections.Done)
            {
                return descriptor.Type == EwfFormat.Sections.Done;
            }
            if (descriptor.Next <= offset || descriptor.Next > file.Length)
            {
                EwfThrowHelper.ThrowInvalid(path, $"{descriptor.Type} section next offset", offset + EwfFieldOffsets.SectionNext,
                    $"{descriptor.Next} is not after the section and within the file ({file.Length} bytes)");
            }
            if (descriptor.Size < EwfFormat.SectionDescriptorSize || descriptor.Size > file.Length - offset)
            {
                EwfThrowHelper.ThrowInvalid(path, $"{descriptor.Type} section size", offset + EwfFieldOffsets.SectionSize,
                    $"{descriptor.Size} is not between {EwfFormat.SectionDescriptorSize} and the {file.Length - offset} bytes left in the file");
            }
            long payloadOffset = offset + EwfFormat.SectionDescriptorSize;
            long payloadLength = descriptor.Size - EwfFormat.SectionDescriptorSize;
            switch (descriptor.Type)
            {
                case EwfFormat.Sections.Header2:
                    _header2Values ??= EwfHeaderText.ParseMain(EwfHeaderText.Decode(ReadCompressed(file, payloadOffset, payloadLength, "header2"), header2: true));
                    break;
                case EwfFormat.Sections.Header:
                    _headerValues ??= EwfHeaderText.ParseMain(EwfHeaderText.Decode(ReadCompressed(file, payloadOffset, payloadLength, "header"), header2: false));
                    break;
                case EwfFormat.Sections.Volume or EwfFormat.Sections.Disk or EwfFormat.Sections.Data:
                    ReadVolume(file, payloadOffset, payloadLength, descriptor.Type);
                    break;
                case EwfFormat.Sections.SectorsName:
                    sectors = (offset, offset + descriptor.Size);
                    break;
                case EwfFormat.Sections.Table:
                    ReadTable(file, segment, offset, payloadLength, sectors);
                    break;
                case EwfFormat.Sections.Error2:
                    ReadError2(file, payloadOffset, payloadLength);
                    break;
                case EwfFormat.Sections.Digest:
                    ReadDigest(file, segment, payloadOffset, payloadLength);
                    break;
                case EwfFormat.Sections.Hash:
                    ReadHash(file, segment, payloadOffset, payloadLength);
                    break;
            }
            offset = descriptor.Next;
            if (offset > file.Length - EwfFormat.SectionDescriptorSize)
            {
                EwfThrowHelper.ThrowInvalid(path, "section descriptor", offset,
                    $"file truncated: it ends at byte {file.Length} before the next section's descriptor (and without a next or done section)");
            }
        }
    }

    private void ReadVolume(EwfSegmentFile file, long payloadOffset, long payloadLength, string type)
    {
        if (payloadLength < EwfFormat.VolumeDataSize)
        {
            EwfThrowHelper.ThrowInvalid(file.Path, $"{type} section size", payloadOffset - EwfFormat.SectionDescriptorSize + EwfFieldOffsets.SectionSize,
                $"{payloadLength + EwfFormat.SectionDescriptorSize} is smaller than an EnCase volume section ({EwfFormat.SectionDescriptorSize + EwfFormat.VolumeDataSize}); EWF-S01 (SMART) and EnCase 1 volumes are not supported");
        }
        byte[] data = new byte[EwfFormat.VolumeDataSize];
        ReadExactly(file, payloadOffset, data, type);
        EwfVolume volume = EwfVolume.Parse(data, file.Path, payloadOffset);
        if (_volume is null)
        {
            _volume = volume;
        }
        else if (volume.ChunkCount != Volume.ChunkCount || volume.SectorCount != Volume.SectorCount
            || volume.SectorsPerChunk != Volume.SectorsPerChunk || volume.BytesPerSector != Volume.BytesPerSector)
        {
            EwfThrowHelper.ThrowInvalid(file.Path, $"{type} section", payloadOffset,
                $"geometry ({volume.ChunkCount} chunks, {volume.SectorCount} sectors) differs from the first volume section ({Volume.ChunkCount}, {Volume.SectorCount})");
        }
    }

    private void ReadTable(EwfSegmentFile file, int segment, long sectionOffset, long payloadLength, (long Start, long End) sectors)
    {
        string path = file.Path;
        long payloadOffset = sectionOffset + EwfFormat.SectionDescriptorSize;
        if (_volume is null)
        {
            EwfThrowHelper.ThrowInvalid(path, "table section", sectionOffset, "a table comes before the volume section");
        }
        if (payloadLength < EwfFormat.TableHeaderSize)
        {
            EwfThrowHelper.ThrowInvalid(path, "table section size", sectionOffset + EwfFieldOffsets.SectionSize,
                $"{payloadLength} payload bytes cannot hold the {EwfFormat.TableHeaderSize}-byte table header");
        }
        Span<byte> header = stackalloc byte[EwfFormat.TableHeaderSize];
        ReadExactly(file, payloadOffset, header, "table header");
        uint storedSum = BinaryPrimitives.ReadUInt32LittleEndian(header[EwfFieldOffsets.TableHeaderChecksum..]);
        uint computedSum = EwfAdler32.Compute(header[..EwfFieldOffsets.TableHeaderChecksum]);
        if (storedSum != computedSum)
        {
            EwfThrowHelper.ThrowInvalid(path, "table header checksum", payloadOffset + EwfFieldOffsets.TableHeaderChecksum,
                $"stored Adler-32 {storedSum:x8}, computed {computedSum:x8}");
        }
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(header[EwfFieldOffsets.TableEntryCount..]);
        ulong baseOffset = BinaryPrimitives.ReadUInt64LittleEndian(header[EwfFieldOffsets.TableBaseOffset..]);
        long entriesOffset = payloadOffset + EwfFormat.TableHeaderSize;
        long room = payloadLength - EwfFormat.TableHeaderSize;
        if (count == 0 || count > EwfFormat.ReadMaxTableEntries || (long)count * EwfFormat.TableEntrySize > room)
        {
            EwfThrowHelper.ThrowInvalid(path, "table entry count", payloadOffset + EwfFieldOffsets.TableEntryCount,
                $"{count} entries do not fit the section's {room} bytes (or exceed {EwfFormat.ReadMaxTableEntries})");
        }
        if (count > Volume.ChunkCount - _chunkCount)
        {
            EwfThrowHelper.ThrowInvalid(path, "table entry count", payloadOffset + EwfFieldOffsets.TableEntryCount,
                $"{count} entries after {_chunkCount} chunks exceed the volume's {Volume.ChunkCount} chunks");
        }
        if (baseOffset >= (ulong)file.Length)
        {
            EwfThrowHelper.ThrowInvalid(path, "table base offset", payloadOffset + EwfFieldOffsets.TableBaseOffset,
                $"{baseOffset} is beyond the end of the file ({file.Length} bytes)");
        }
        int entryCount = (int)count;
        byte[] raw = new byte[(entryCount * EwfFormat.TableEntrySize) + 4];
        bool hasSum = room >= raw.Length;
        ReadExactly(file, entriesOffset, hasSum ? raw : raw.AsSpan(0, raw.Length - 4), "table entries");
        if (hasSum)
        {
            uint storedEntries = BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(raw.Length - 4));
            uint computedEntries = EwfAdler32.Compute(raw.AsSpan(0, raw.Length - 4));
            if (storedEntries != computedEntries)
            {
                EwfThrowHelper.ThrowInvalid(path, "table entries checksum", entriesOffset + raw.Length - 4,
                    $"stored Adler-32 {storedEntries:x8}, computed {computedEntries:x8}");
            }
        }
        // The last chunk ends where its sectors section ends (EnCase 2 and later put the chunks there), or else
        // where this table starts (the chunks lie between the table's base and the table).
        long end = sectors.Start >= 0 && (long)baseOffset == sectors.Start ? sectors.End : sectionOffset;
        if (end > file.Length || end <= (long)baseOffset)
        {
            EwfThrowHelper.ThrowInvalid(path, "table base offset", payloadOffset + EwfFieldOffsets.TableBaseOffset,
                $"base {baseOffset} leaves no room for chunks before byte {end}");
        }
        EnsureEntryCapacity(_chunkCount + entryCount);
        long previous = -1;
        for (int i = 0; i < entryCount; i++)
        {
            uint entry = BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(i * EwfFormat.TableEntrySize));
            long chunkOffset = (long)baseOffset + (entry & EwfFormat.OffsetMask);
            long next = i + 1 < entryCount
                ? (long)baseOffset + (BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan((i + 1) * EwfFormat.TableEntrySize)) & EwfFormat.OffsetMask)
                : end;
            long storedLength = next - chunkOffset;
            if (chunkOffset <= previous || storedLength <= 0 || storedLength > MaxStoredLength || next > end)
            {
                EwfThrowHelper.ThrowInvalid(path, $"table entry {i} (chunk {_chunkCount + i})", entriesOffset + (i * EwfFormat.TableEntrySize),
                    $"chunk offset {chunkOffset} with {storedLength} stored bytes is out of order, empty, larger than {MaxStoredLength} bytes or past byte {end}");
            }
            previous = chunkOffset;
            _entries[_chunkCount + i] = entry;
        }
        _tables.Add(new EwfTableRange(_chunkCount, entryCount, segment, (long)baseOffset, end));
        _chunkCount += entryCount;
    }

    private void EnsureEntryCapacity(long needed)
    {
        if (needed <= _entries.Length)
        {
            return;
        }
        long capacity = Math.Min(Math.Max(needed, _entries.Length * 2L), Volume.ChunkCount);
        Array.Resize(ref _entries, (int)Math.Min(capacity, Array.MaxLength));
    }

    private void ReadError2(EwfSegmentFile file, long payloadOffset, long payloadLength)
    {
        if (payloadLength < EwfFormat.Error2HeaderSize)
        {
            EwfThrowHelper.ThrowInvalid(file.Path, "error2 section size", payloadOffset - EwfFormat.SectionDescriptorSize + EwfFieldOffsets.SectionSize,
                $"{payloadLength} payload bytes cannot hold the {EwfFormat.Error2HeaderSize}-byte error2 header");
        }
        byte[] header = new byte[EwfFormat.Error2HeaderSize];
        ReadExactly(file, payloadOffset, header, "error2 header");
        uint storedSum = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(EwfFieldOffsets.Error2HeaderChecksum));
        uint computedSum = EwfAdler32.Compute(header.AsSpan(0, EwfFieldOffsets.Error2HeaderChecksum));
        if (storedSum != computedSum)
        {
            EwfThrowHelper.ThrowInvalid(file.Path, "error2 header checksum", payloadOffset + EwfFieldOffsets.Error2HeaderChecksum,
                $"stored Adler-32 {storedSum:x8}, computed {computedSum:x8}");
        }
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(header);
        long room = payloadLength - EwfFormat.Error2HeaderSize - 4;
        if ((long)count * EwfFormat.Error2EntrySize > room)
        {
            EwfThrowHelper.ThrowInvalid(file.Path, "error2 entry count", payloadOffset,
                $"{count} entries do not fit the section's {Math.Max(room, 0)} bytes");
        }
        byte[] entries = new byte[(count * EwfFormat.Error2EntrySize) + 4];
        long entriesOffset = payloadOffset + EwfFormat.Error2HeaderSize;
        ReadExactly(file, entriesOffset, entries, "error2 entries");
        uint storedEntries = BinaryPrimitives.ReadUInt32LittleEndian(entries.AsSpan(entries.Length - 4));
        uint computedEntries = EwfAdler32.Compute(entries.AsSpan(0, entries.Length - 4));
        if (storedEntries != computedEntries)
        {
            EwfThrowHelper.ThrowInvalid(file.Path, "error2 entries checksum", entriesOffset + entries.Length - 4,
                $"stored Adler-32 {storedEntries:x8}, computed {computedEntries:x8}");
        }
        _errors.Clear();
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> entry = entries.AsSpan(i * EwfFormat.Error2EntrySize, EwfFormat.Error2EntrySize);
            _errors.Add(new EwfErrorRange(
                BinaryPrimitives.ReadUInt32LittleEndian(entry[EwfFieldOffsets.Error2EntryStartSector..]),
                BinaryPrimitives.ReadUInt32LittleEndian(entry[EwfFieldOffsets.Error2EntrySectorCount..])));
        }
    }

    private void ReadDigest(EwfSegmentFile file, int segment, long payloadOffset, long payloadLength)
    {
        byte[] payload = ReadChecked(file, payloadOffset, payloadLength, EwfFormat.DigestDataSize, EwfFieldOffsets.DigestChecksum, "digest");
        StoredMd5 = payload.AsSpan(EwfFieldOffsets.DigestMd5, 16).ToArray();
        byte[] sha1 = payload.AsSpan(EwfFieldOffsets.DigestSha1, 20).ToArray();
        StoredSha1 = sha1.AsSpan().ContainsAnyExcept((byte)0) ? sha1 : null;
        HashLocation = (segment, payloadOffset);
    }

    private void ReadHash(EwfSegmentFile file, int segment, long payloadOffset, long payloadLength)
    {
        byte[] payload = ReadChecked(file, payloadOffset, payloadLength, EwfFormat.HashDataSize, EwfFieldOffsets.HashChecksum, "hash");
        if (StoredMd5 is null)
        {
            StoredMd5 = payload.AsSpan(EwfFieldOffsets.HashMd5, 16).ToArray();
            HashLocation = (segment, payloadOffset);
        }
    }

    private static byte[] ReadChecked(EwfSegmentFile file, long payloadOffset, long payloadLength, int size, int checksumAt, string name)
    {
        if (payloadLength < size)
        {
            EwfThrowHelper.ThrowInvalid(file.Path, $"{name} section size", payloadOffset - EwfFormat.SectionDescriptorSize + EwfFieldOffsets.SectionSize,
                $"{payloadLength} payload bytes, {size} needed");
        }
        byte[] payload = new byte[size];
        ReadExactly(file, payloadOffset, payload, name);
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan(checksumAt));
        uint computed = EwfAdler32.Compute(payload.AsSpan(0, checksumAt));
        if (stored != computed)
        {
            EwfThrowHelper.ThrowInvalid(file.Path, $"{name} checksum", payloadOffset + checksumAt, $"stored Adler-32 {stored:x8}, computed {computed:x8}");
        }
        return payload;
    }

    private static byte[] ReadCompressed(EwfSegmentFile file, long payloadOffset, long payloadLength, string name)
    {
        if (payloadLength is <= 0 or > EwfFormat.MaxHeaderSectionSize)
        {
            EwfThrowHelper.ThrowInvalid(file.Path, $"{name} section size", payloadOffset - EwfFormat.SectionDescriptorSize + EwfFieldOffsets.SectionSize,
                $"{payloadLength} payload bytes is not between 1 and {EwfFormat.MaxHeaderSectionSize}");
        }
        byte[] compressed = new byte[payloadLength];
        ReadExactly(file, payloadOffset, compressed, name);
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
            using var text = new MemoryStream();
            byte[] buffer = new byte[16384];
            int read;
            while ((read = zlib.Read(buffer)) > 0)
            {
                if (text.Length + read > EwfFormat.MaxHeaderSectionSize)
                {
                    EwfThrowHelper.ThrowInvalid(file.Path, name, payloadOffset, $"decompresses to more than {EwfFormat.MaxHeaderSectionSize} bytes");
                }
                text.Write(buffer, 0, read);
            }
            return text.ToArray();
        }
        // zlib's other errors (a preset dictionary asked for: Z_NEED_DICT) come as ZLibException, an IOException.
        catch (Exception exception) when (exception is InvalidDataException or IOException)
        {
            throw EwfThrowHelper.Invalid(file.Path, name, payloadOffset, $"zlib stream corrupt ({exception.Message})");
        }
    }

    private static void ReadExactly(EwfSegmentFile file, long offset, Span<byte> destination, string field)
    {
        if (offset > file.Length - destination.Length)
        {
            EwfThrowHelper.ThrowInvalid(file.Path, field, offset,
                $"file truncated: it ends at byte {file.Length}, {destination.Length} bytes needed from byte {offset}");
        }
        int filled = 0;
        try
        {
            while (filled < destination.Length)
            {
                int read = RandomAccess.Read(file.Handle, destination[filled..], offset + filled);
                if (read == 0)
                {
                    EwfThrowHelper.ThrowInvalid(file.Path, field, offset, $"file truncated at byte {offset + filled}");
                }
                filled += read;
            }
        }
        catch (IOException exception)
        {
            throw new DeviceIOException(file.Path, offset + filled, $"read failed: {exception.Message}", exception);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (EwfSegmentFile segment in _segments)
        {
            segment.Handle.Dispose();
        }
        _segments.Clear();
    }
}
