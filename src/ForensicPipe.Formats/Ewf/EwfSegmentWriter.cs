using System.Buffers.Binary;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Sinks;
using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Formats.Ewf;

/// <summary>
/// Lays the stored chunks out into segment files in the order ewfacquire 20140813 writes an EnCase 6 set
/// (docs/formats/e01.md): segment 1 starts with header2, header2, header, volume; later segments with data.
/// Chunks go into a sectors section followed by its table and table2; a new sectors section starts when a
/// table is full (65534 entries) or an entry's 31-bit offset would overflow; a new segment when the next
/// chunk and the sections that must follow it would pass the segment size. A segment that is not the last
/// ends with next; the last ends with (data in a single-segment set,) error2 when there were unreadable
/// ranges, digest, hash and done. Files are written sequentially, as <c>NAME.E01.partial</c>, … Not thread-safe:
/// the sink calls it from one write task at a time.
/// </summary>
internal sealed class EwfSegmentWriter : IDisposable
{
    private const int DataSectionSize = EwfFormat.SectionDescriptorSize + EwfFormat.VolumeDataSize;
    private const int DigestSectionSize = EwfFormat.SectionDescriptorSize + EwfFormat.DigestDataSize;
    private const int HashSectionSize = EwfFormat.SectionDescriptorSize + EwfFormat.HashDataSize;

    private readonly string _firstPath;
    private readonly long _segmentSize;
    private readonly byte[] _header2;
    private readonly byte[] _header;
    private readonly uint[] _entries = new uint[EwfFormat.MaxTableEntries];
    private readonly byte[] _scratch = new byte[TableSectionSize(EwfFormat.MaxTableEntries)];
    private readonly List<ReadOnlyMemory<byte>> _pending = [];
    private readonly List<(int Segment, long Offset)> _volumeCopies = [];
    private readonly List<string> _finalPaths = [];
    private EwfVolume _volume;
    private SafeFileHandle? _handle;
    private int _segment;
    private long _position;
    private long _pendingOffset;
    private long _sectorsStart = -1;
    private int _entryCount;
    private long _segmentChunks;
    private int _errorCount;

    /// <summary>Prepares the writer; no file is created until <see cref="Start"/>.</summary>
    public EwfSegmentWriter(string firstPath, long segmentSize, byte[] header2, byte[] header, EwfVolume volume)
    {
        _firstPath = firstPath;
        _segmentSize = segmentSize;
        _header2 = header2;
        _header = header;
        _volume = volume;
    }

    /// <summary>Final names of the segment files created so far.</summary>
    public IReadOnlyList<string> FinalPaths => _finalPaths;

    /// <summary>Chunks written.</summary>
    public long Chunks { get; private set; }

    /// <summary>Chunks stored compressed.</summary>
    public long CompressedChunks { get; private set; }

    /// <summary>Bytes of all segment files.</summary>
    public long FileBytes { get; private set; }

    /// <summary>The name a segment file has while it is written.</summary>
    public static string PartialPath(string finalPath) => finalPath + RawFileSink.PartialSuffix;

    /// <summary>Bytes of a table (or table2) section with <paramref name="entries"/> entries.</summary>
    public static int TableSectionSize(int entries) =>
        EwfFormat.SectionDescriptorSize + EwfFormat.TableHeaderSize + (entries * EwfFormat.TableEntrySize) + 4;

    /// <summary>Bytes of an error2 section with <paramref name="entries"/> entries.</summary>
    public static long Error2SectionSize(int entries) =>
        EwfFormat.SectionDescriptorSize + EwfFormat.Error2HeaderSize + ((long)entries * EwfFormat.Error2EntrySize) + 4;

    /// <summary>Creates segment 1 and writes its leading sections.</summary>
    public void Start() => StartSegment(1);

    /// <summary>Tells the writer how many error2 entries the last segment will need so far (its reserve).</summary>
    public void SetErrorCount(int count) => _errorCount = count;

    /// <summary>Appends one stored chunk; <paramref name="stored"/> must stay unchanged until <see cref="Flush"/>.</summary>
    public void AddChunk(ReadOnlyMemory<byte> stored, bool compressed)
    {
        int length = stored.Length;
        if (_sectorsStart >= 0 && (_entryCount == EwfFormat.MaxTableEntries || _position + length - _sectorsStart > EwfFormat.OffsetMask))
        {
            CloseSectors();
        }
        if (_segmentChunks > 0 && !Fits(length))
        {
            CloseSectors();
            FinishSegment();
            StartSegment(_segment + 1);
        }
        if (_sectorsStart < 0)
        {
            _sectorsStart = _position;
            _position += EwfFormat.SectionDescriptorSize;
        }
        _entries[_entryCount++] = (uint)(_position - _sectorsStart) | (compressed ? EwfFormat.CompressedFlag : 0);
        if (_pending.Count == 0)
        {
            _pendingOffset = _position;
        }
        _pending.Add(stored);
        _position += length;
        _segmentChunks++;
        Chunks++;
        if (compressed)
        {
            CompressedChunks++;
        }
    }

    /// <summary>Writes the chunks appended since the last flush (one vectored write).</summary>
    public void Flush()
    {
        if (_pending.Count == 0)
        {
            return;
        }
        Write(_pending, _pendingOffset);
        _pending.Clear();
    }

    /// <summary>Ends the set: closes the last sectors section and writes the closing sections of the last
    /// segment, then rewrites every volume and data section if the final geometry differs from the first guess.</summary>
    public void Finish(EwfVolume volume, IReadOnlyList<EwfErrorRange> errors, byte[] md5, byte[] sha1)
    {
        if (_sectorsStart >= 0)
        {
            CloseSectors();
        }
        if (_segment == 1)
        {
            WriteVolumeSection(EwfFormat.Sections.Data, volume);
        }
        if (errors.Count > 0)
        {
            WriteError2(errors);
        }
        Span<byte> payload = _scratch.AsSpan(0, EwfFormat.DigestDataSize);
        payload.Clear();
        md5.CopyTo(payload[EwfFieldOffsets.DigestMd5..]);
        sha1.CopyTo(payload[EwfFieldOffsets.DigestSha1..]);
        BinaryPrimitives.WriteUInt32LittleEndian(payload[EwfFieldOffsets.DigestChecksum..], EwfAdler32.Compute(payload[..EwfFieldOffsets.DigestChecksum]));
        WriteSection(EwfFormat.Sections.Digest, payload);
        payload = _scratch.AsSpan(0, EwfFormat.HashDataSize);
        payload.Clear();
        md5.CopyTo(payload[EwfFieldOffsets.HashMd5..]);
        BinaryPrimitives.WriteUInt32LittleEndian(payload[EwfFieldOffsets.HashChecksum..], EwfAdler32.Compute(payload[..EwfFieldOffsets.HashChecksum]));
        WriteSection(EwfFormat.Sections.Hash, payload);
        WriteEndSection(EwfFormat.Sections.Done);
        CloseHandle();
        if (volume != _volume)
        {
            PatchVolumes(volume);
        }
    }

    private bool Fits(int length)
    {
        long sectorsDescriptor = _sectorsStart < 0 ? EwfFormat.SectionDescriptorSize : 0;
        int entries = (_sectorsStart < 0 ? 0 : _entryCount) + 1;
        long lastSegmentEnd = DataSectionSize + Error2SectionSize(_errorCount) + DigestSectionSize + HashSectionSize + EwfFormat.SectionDescriptorSize;
        long end = _position + sectorsDescriptor + length + (2L * TableSectionSize(entries)) + lastSegmentEnd;
        return end <= _segmentSize;
    }

    private void StartSegment(int number)
    {
        if (number > EwfFormat.MaxSegments)
        {
            throw new ForensicPipeException($"{_firstPath}: more than {EwfFormat.MaxSegments} segment files would be needed (the last name is .ZZZ); use a larger segment size");
        }
        string finalPath = EwfSegmentNames.PathOf(_firstPath, number);
        string partial = PartialPath(finalPath);
        try
        {
            _handle = File.OpenHandle(partial, FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new DeviceIOException(partial, 0, $"cannot create the segment file: {exception.Message}", exception);
        }
        _finalPaths.Add(finalPath);
        _segment = number;
        _position = 0;
        _segmentChunks = 0;
        Span<byte> header = _scratch.AsSpan(0, EwfFormat.FileHeaderSize);
        header.Clear();
        EwfFormat.Signature.CopyTo(header);
        header[EwfFieldOffsets.FileFieldsStart] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(header[EwfFieldOffsets.FileSegmentNumber..], (ushort)number);
        WriteAt(header, 0);
        _position = EwfFormat.FileHeaderSize;
        if (number == 1)
        {
            WriteSection(EwfFormat.Sections.Header2, _header2);
            WriteSection(EwfFormat.Sections.Header2, _header2);
            WriteSection(EwfFormat.Sections.Header, _header);
            WriteVolumeSection(EwfFormat.Sections.Volume, _volume);
        }
        else
        {
            WriteVolumeSection(EwfFormat.Sections.Data, _volume);
        }
    }

    private void FinishSegment()
    {
        WriteEndSection(EwfFormat.Sections.Next);
        CloseHandle();
    }

    private void CloseSectors()
    {
        Flush();
        Span<byte> descriptor = _scratch.AsSpan(0, EwfFormat.SectionDescriptorSize);
        EwfSectionDescriptor.Write(descriptor, EwfFormat.Sections.SectorsName, _position, _position - _sectorsStart);
        WriteAt(descriptor, _sectorsStart);
        WriteTable(EwfFormat.Sections.Table);
        WriteTable(EwfFormat.Sections.Table2);
        _sectorsStart = -1;
        _entryCount = 0;
    }

    private void WriteTable(string type)
    {
        int size = TableSectionSize(_entryCount);
        Span<byte> section = _scratch.AsSpan(0, size);
        section.Clear();
        EwfSectionDescriptor.Write(section, type, _position + size, size);
        Span<byte> header = section.Slice(EwfFormat.SectionDescriptorSize, EwfFormat.TableHeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header[EwfFieldOffsets.TableEntryCount..], (uint)_entryCount);
        BinaryPrimitives.WriteUInt64LittleEndian(header[EwfFieldOffsets.TableBaseOffset..], (ulong)_sectorsStart);
        BinaryPrimitives.WriteUInt32LittleEndian(header[EwfFieldOffsets.TableHeaderChecksum..], EwfAdler32.Compute(header[..EwfFieldOffsets.TableHeaderChecksum]));
        Span<byte> entries = section.Slice(EwfFormat.SectionDescriptorSize + EwfFormat.TableHeaderSize, _entryCount * EwfFormat.TableEntrySize);
        for (int i = 0; i < _entryCount; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(entries[(i * EwfFormat.TableEntrySize)..], _entries[i]);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(section[^4..], EwfAdler32.Compute(entries));
        WriteAt(section, _position);
        _position += size;
    }

    private void WriteError2(IReadOnlyList<EwfErrorRange> errors)
    {
        byte[] payload = new byte[Error2SectionSize(errors.Count) - EwfFormat.SectionDescriptorSize];
        Span<byte> header = payload.AsSpan(0, EwfFormat.Error2HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header[EwfFieldOffsets.Error2EntryCount..], (uint)errors.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(header[EwfFieldOffsets.Error2HeaderChecksum..], EwfAdler32.Compute(header[..EwfFieldOffsets.Error2HeaderChecksum]));
        Span<byte> entries = payload.AsSpan(EwfFormat.Error2HeaderSize, errors.Count * EwfFormat.Error2EntrySize);
        for (int i = 0; i < errors.Count; i++)
        {
            Span<byte> entry = entries[(i * EwfFormat.Error2EntrySize)..];
            BinaryPrimitives.WriteUInt32LittleEndian(entry[EwfFieldOffsets.Error2EntryStartSector..], checked((uint)errors[i].FirstSector));
            BinaryPrimitives.WriteUInt32LittleEndian(entry[EwfFieldOffsets.Error2EntrySectorCount..], checked((uint)errors[i].SectorCount));
        }
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(payload.Length - 4), EwfAdler32.Compute(entries));
        WriteSection(EwfFormat.Sections.Error2, payload);
    }

    private void WriteVolumeSection(string type, EwfVolume volume)
    {
        byte[] payload = new byte[EwfFormat.VolumeDataSize];
        volume.Write(payload);
        _volumeCopies.Add((_segment, _position + EwfFormat.SectionDescriptorSize));
        WriteSection(type, payload);
    }

    private void WriteSection(string type, ReadOnlySpan<byte> payload)
    {
        long size = EwfFormat.SectionDescriptorSize + payload.Length;
        Span<byte> descriptor = stackalloc byte[EwfFormat.SectionDescriptorSize];
        EwfSectionDescriptor.Write(descriptor, type, _position + size, size);
        WriteAt(descriptor, _position);
        WriteAt(payload, _position + EwfFormat.SectionDescriptorSize);
        _position += size;
    }

    // next and done point at themselves with size 0, as EnCase writes them.
    private void WriteEndSection(string type)
    {
        Span<byte> descriptor = stackalloc byte[EwfFormat.SectionDescriptorSize];
        EwfSectionDescriptor.Write(descriptor, type, _position, 0);
        WriteAt(descriptor, _position);
        _position += EwfFormat.SectionDescriptorSize;
    }

    private void PatchVolumes(EwfVolume volume)
    {
        byte[] payload = new byte[EwfFormat.VolumeDataSize];
        volume.Write(payload);
        foreach ((int segment, long offset) in _volumeCopies)
        {
            string partial = PartialPath(_finalPaths[segment - 1]);
            try
            {
                using SafeFileHandle handle = File.OpenHandle(partial, FileMode.Open, FileAccess.Write);
                RandomAccess.Write(handle, payload, offset);
            }
            catch (IOException exception)
            {
                throw new DeviceIOException(partial, offset, $"cannot update the volume section: {exception.Message}", exception);
            }
        }
        _volume = volume;
    }

    private void WriteAt(ReadOnlySpan<byte> data, long offset)
    {
        SafeFileHandle handle = _handle ?? throw new InvalidOperationException("No segment file is open.");
        try
        {
            RandomAccess.Write(handle, data, offset);
        }
        catch (IOException exception)
        {
            throw new DeviceIOException(PartialPath(_finalPaths[^1]), offset, $"write failed: {exception.Message}", exception);
        }
    }

    private void Write(IReadOnlyList<ReadOnlyMemory<byte>> data, long offset)
    {
        SafeFileHandle handle = _handle ?? throw new InvalidOperationException("No segment file is open.");
        try
        {
            RandomAccess.Write(handle, data, offset);
        }
        catch (IOException exception)
        {
            throw new DeviceIOException(PartialPath(_finalPaths[^1]), offset, $"write failed: {exception.Message}", exception);
        }
    }

    private void CloseHandle()
    {
        if (_handle is not null)
        {
            FileBytes += _position;
            _handle.Dispose();
            _handle = null;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _handle?.Dispose();
        _handle = null;
    }
}
