using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.ImageAccess;
using ForensicPipe.Formats.Input;
using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Formats.Ntfsclone;

/// <summary>
/// Reads an ntfsclone special image (<c>ntfsclone --save-image</c>, docs/formats/ntfsclone.md) and emits the
/// reconstructed partition (<see cref="NtfscloneHeader.DeviceSize"/> bytes): <see cref="ExtentKind.Data"/> for stored
/// clusters, <see cref="ExtentKind.Absent"/> for gaps and for the end of the device the image does not cover.
/// <para>
/// The records are read in one forward pass, which works on pipes. A regular file whose size does not add up to
/// a full image (its header's in-use count) is scanned first (<see cref="NtfscloneClusterMap"/>): that refuses a
/// truncated or corrupt image before a byte is emitted and finds metadata images (<c>--metadata</c>), whose records
/// go backwards; those are then reconstructed last-write-wins with positional reads, as <c>ntfsclone -r</c> does.
/// A metadata image on a pipe is refused at its first backward gap.
/// </para>
/// </summary>
public sealed class NtfscloneReader : IExtentSource
{
    /// <summary>Format name in <see cref="SourceInfo.Format"/>.</summary>
    public const string FormatName = NtfscloneThrowHelper.FormatName;

    private const int StateNew = 0;
    private const int StateOpening = 1;
    private const int StateOpen = 2;
    private const int StateReading = 3;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly ImageInput _input;
    private readonly SafeFileHandle? _file;
    private readonly byte[] _record = new byte[NtfscloneFieldOffsets.RecordTagLength + NtfscloneFieldOffsets.GapCountLength];
    private NtfscloneHeader? _header;
    private NtfscloneClusterMap? _map;
    private int _state;
    private long _positionalBytesRead;
    private long _clusterRecords;
    private long _gapRecords;
    private bool _backupBootSector;
    private bool _complete;

    /// <summary>Creates a reader of <paramref name="stream"/>, positioned at the first byte of the image. A
    /// <see cref="FileStream"/> on a regular file at position 0 also gets positional reads (the scan and metadata
    /// images); any other stream is read forward only.</summary>
    /// <param name="stream">The image.</param>
    /// <param name="path">Name of the image for messages and the report (<c>-</c> for standard input).</param>
    /// <param name="leaveOpen">Whether <see cref="DisposeAsync"/> leaves <paramref name="stream"/> open.</param>
    public NtfscloneReader(Stream stream, string path, bool leaveOpen = false)
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
        if (stream is FileStream { CanSeek: true, Position: 0 } file)
        {
            _file = file.SafeFileHandle;
        }
        Path = path;
    }

    /// <summary>The image's name as given.</summary>
    public string Path { get; }

    /// <summary>The validated header (after <see cref="OpenAsync"/>).</summary>
    public NtfscloneHeader Header => _header ?? throw new InvalidOperationException("The image is not open: call OpenAsync first.");

    /// <summary>The scan of a seekable image that did not add up to a full image, or null (forward pass only).</summary>
    internal NtfscloneClusterMap? ClusterMap => _map;

    /// <summary>Whether the image is known to be a metadata image: from the scan at open, or null when the records
    /// have not been seen (a forward pass reports it only by failing at the first backward gap).</summary>
    public bool? IsMetadataImage => _map?.IsMetadataImage ?? (_file is null ? null : false);

    /// <inheritdoc />
    public IImageVerifier? Verifier { get; } = new NtfscloneVerifier();

    /// <inheritdoc />
    public long BytesRead => _input.Position + Interlocked.Read(ref _positionalBytesRead);

    /// <summary>Opens <paramref name="path"/> (<c>-</c> = standard input; a gzip or bzip2 compressed image is
    /// decompressed on the way and read forward only).</summary>
    public static NtfscloneReader Open(string path) =>
        (NtfscloneReader)NtfscloneFormat.Instance.OpenSequential(SequentialImage.Open(path));

    /// <summary>Reads and validates the header; on a regular file whose size does not add up to a full image,
    /// scans and validates every record (<see cref="NtfscloneClusterMap"/>).</summary>
    public async ValueTask<SourceInfo> OpenAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, StateOpening, StateNew) != StateNew)
        {
            throw new InvalidOperationException("OpenAsync was already called.");
        }

        byte[] headerBytes = new byte[NtfscloneFieldOffsets.HeaderSize];
        int got = await _input.ReadAsync(headerBytes.AsMemory(0, NtfscloneFieldOffsets.LegacyDataStart), cancellationToken).ConfigureAwait(false);
        if (got == NtfscloneFieldOffsets.LegacyDataStart
            && NtfscloneHeader.GetHeaderSize(headerBytes[NtfscloneFieldOffsets.MajorVersion]) == NtfscloneFieldOffsets.HeaderSize)
        {
            got += await _input.ReadAsync(headerBytes.AsMemory(got), cancellationToken).ConfigureAwait(false);
        }
        NtfscloneHeader header = NtfscloneHeader.Parse(headerBytes.AsSpan(0, got));

        // The bytes between the header and the data are padding (docs/formats/ntfsclone.md, "Header"): skipped, not
        // checked.
        long skip = header.DataOffset - _input.Position;
        if (skip > 0)
        {
            byte[] padding = new byte[skip];
            int skipped = await _input.ReadAsync(padding, cancellationToken).ConfigureAwait(false);
            if (skipped < skip)
            {
                NtfscloneThrowHelper.ThrowTruncated("padding before the data", _input.Position - skipped, skip, skipped);
            }
        }

        var details = header.Describe();
        var warnings = new List<string>();
        if (_file is not null)
        {
            long length = RandomAccess.GetLength(_file);
            details["imageSize"] = length;
            if (!AddsUpToFullImage(header, length))
            {
                SafeFileHandle file = _file;
                _map = NtfscloneClusterMap.Scan((destination, offset) => RandomAccess.Read(file, destination, offset), length, header, cancellationToken);
                details["scan"] = _map.Describe();
                if (_map.IsMetadataImage)
                {
                    warnings.Add("this is an ntfsclone metadata image (--metadata): it holds NTFS metadata only, no file contents; "
                        + "clusters stored more than once are reconstructed last-write-wins, as ntfsclone --restore-image does");
                }
                if (header.HasBackupBootSectorRecord && !_map.HasBackupBootSector)
                {
                    warnings.Add($"format {header.Version} image without the record of its backup boot sector: the partition's last "
                        + $"{header.DeviceSize - header.VolumeSize} bytes are absent");
                }
            }
        }
        details["metadataImage"] = IsMetadataImage;
        _header = header;
        Volatile.Write(ref _state, StateOpen);
        return new SourceInfo(Path, FormatName, header.DeviceSize, details)
        {
            Warnings = warnings,
            DataBytes = header.ClustersInUse <= long.MaxValue / header.ClusterSize ? header.ClustersInUse * header.ClusterSize : long.MaxValue,
        };
    }

    /// <summary>
    /// Whether a file of <paramref name="length"/> bytes has exactly the size of a full image of this header: one
    /// cluster record per in-use cluster, plus the backup boot sector's record from format 10.1 on, plus any number
    /// of 9-byte gap records. Then the forward pass reads it without a scan. A metadata image cannot match (it stores
    /// far fewer clusters than are in use), a truncated one is shorter than its records, and a 10.1 image without
    /// its backup boot sector is scanned so that the warning comes before the data.
    /// </summary>
    private static bool AddsUpToFullImage(NtfscloneHeader header, long length)
    {
        long expected = header.DataOffset + (header.ClustersInUse * (header.ClusterSize + 1L));
        if (header.HasBackupBootSectorRecord)
        {
            expected += NtfscloneFieldOffsets.RecordTagLength + header.GetPayloadLength(header.ClusterCount);
        }
        long gapRecord = NtfscloneFieldOffsets.RecordTagLength + NtfscloneFieldOffsets.GapCountLength;
        long rest = length - expected;
        return rest >= 0 && rest % gapRecord == 0 && rest / gapRecord <= header.ClusterCount;
    }

    /// <inheritdoc />
    public IAsyncEnumerable<Extent> ReadAsync(BufferPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        OnePassReader.BeginRead(ref _state, StateOpen, StateReading);
        return _map is null ? ReadForwardAsync(pool, cancellationToken) : ReadMappedAsync(pool, _map, cancellationToken);
    }

    private async IAsyncEnumerable<Extent> ReadForwardAsync(BufferPool pool, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        NtfscloneHeader header = _header!;
        long clusterSize = header.ClusterSize;
        int capacity = pool.BufferSize;
        long cluster = 0;
        PooledBuffer? buffer = null;
        long extentOffset = 0;
        int filled = 0;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long tagOffset = _input.Position;
                if (await _input.ReadAsync(_record.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) == 0)
                {
                    break;
                }
                switch ((NtfscloneRecordTag)_record[0])
                {
                    case NtfscloneRecordTag.Next:
                        if (cluster > header.ClusterCount)
                        {
                            NtfscloneThrowHelper.ThrowInvalid("cluster record", tagOffset,
                                $"cluster {cluster} is past the last cluster {header.ClusterCount} of the image");
                        }
                        long offset = cluster * clusterSize;
                        long remaining = header.GetPayloadLength(cluster);
                        long payloadOffset = tagOffset + 1;
                        while (remaining > 0)
                        {
                            if (buffer is not null && (extentOffset + filled != offset || filled == capacity))
                            {
                                yield return Extent.Data(extentOffset, buffer, filled);
                                buffer = null;
                            }
                            if (buffer is null)
                            {
                                buffer = pool.Rent();
                                extentOffset = offset;
                                filled = 0;
                            }
                            int part = (int)Math.Min(remaining, capacity - filled);
                            int got = await _input.ReadAsync(buffer.Memory.Slice(filled, part), cancellationToken).ConfigureAwait(false);
                            if (got < part)
                            {
                                long payload = header.GetPayloadLength(cluster);
                                NtfscloneThrowHelper.ThrowTruncated($"payload of cluster {cluster}", payloadOffset, payload, payload - remaining + got);
                            }
                            filled += part;
                            offset += part;
                            remaining -= part;
                        }
                        _backupBootSector |= cluster == header.ClusterCount;
                        _clusterRecords++;
                        cluster++;
                        break;

                    case NtfscloneRecordTag.Gap:
                        int countBytes = await _input.ReadAsync(_record.AsMemory(1, NtfscloneFieldOffsets.GapCountLength), cancellationToken)
                            .ConfigureAwait(false);
                        if (countBytes < NtfscloneFieldOffsets.GapCountLength)
                        {
                            NtfscloneThrowHelper.ThrowTruncated("gap record", tagOffset, _record.Length, 1 + countBytes);
                        }
                        long count = BinaryPrimitives.ReadInt64LittleEndian(_record.AsSpan(1));
                        if (count < 0)
                        {
                            NtfscloneThrowHelper.ThrowInvalid("gap count", tagOffset + 1,
                                $"a gap of {count} clusters goes back: this is an ntfsclone metadata image (--metadata), which is "
                                + "read from a seekable file, not a pipe or a compressed stream");
                        }
                        long start = cluster;
                        cluster = NtfscloneClusterMap.ApplyGap(header, cluster, count, tagOffset + 1);
                        if (buffer is not null)
                        {
                            yield return Extent.Data(extentOffset, buffer, filled);
                            buffer = null;
                        }
                        long absentStart = Math.Min(start * clusterSize, header.DeviceSize);
                        long absentEnd = Math.Min(cluster * clusterSize, header.DeviceSize);
                        if (absentEnd > absentStart)
                        {
                            yield return Extent.Absent(absentStart, absentEnd - absentStart);
                        }
                        _gapRecords++;
                        break;

                    default:
                        NtfscloneClusterMap.ThrowUnknownTag(_record[0], tagOffset);
                        break;
                }
            }
            NtfscloneClusterMap.CheckEnd(header, cluster, _input.Position);
            if (buffer is not null)
            {
                yield return Extent.Data(extentOffset, buffer, filled);
                buffer = null;
            }
        }
        finally
        {
            // A buffer rented but not handed over (fault, cancellation, early dispose) goes back here.
            buffer?.Release();
        }

        _complete = true;
        long covered = Math.Min(cluster * clusterSize, header.DeviceSize);
        if (covered < header.DeviceSize)
        {
            yield return Extent.Absent(covered, header.DeviceSize - covered);
        }
    }

    private async IAsyncEnumerable<Extent> ReadMappedAsync(BufferPool pool, NtfscloneClusterMap map, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        NtfscloneHeader header = _header!;
        SafeFileHandle file = _file!;
        long clusterSize = header.ClusterSize;
        long stride = clusterSize + 1;
        int capacity = pool.BufferSize;
        long covered = 0;
        foreach (NtfscloneRun run in map.Runs)
        {
            long runStart = run.FirstCluster * clusterSize;
            if (runStart > covered)
            {
                yield return Extent.Absent(covered, runStart - covered);
            }
            for (long i = 0; i < run.Count;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                PooledBuffer buffer = pool.Rent();
                long extentOffset = (run.FirstCluster + i) * clusterSize;
                int filled = 0;
                try
                {
                    // Cluster by cluster, each payload straight into the buffer: a cluster larger than the buffer is
                    // split; the tag bytes between payloads are skipped by reading at each payload's own offset.
                    while (i < run.Count && filled < capacity)
                    {
                        long cluster = run.FirstCluster + i;
                        long payload = header.GetPayloadLength(cluster);
                        long done = (extentOffset + filled) - (cluster * clusterSize);
                        int part = (int)Math.Min(payload - done, capacity - filled);
                        int got = await RandomAccess.ReadAsync(file, buffer.Memory.Slice(filled, part), run.PayloadOffset + (i * stride) + done, cancellationToken)
                            .ConfigureAwait(false);
                        if (got < part)
                        {
                            NtfscloneThrowHelper.ThrowTruncated($"payload of cluster {cluster}", run.PayloadOffset + (i * stride), payload, done + got);
                        }
                        Interlocked.Add(ref _positionalBytesRead, got);
                        filled += part;
                        if (done + part == payload)
                        {
                            i++;
                        }
                    }
                }
                catch
                {
                    buffer.Release();
                    throw;
                }
                yield return Extent.Data(extentOffset, buffer, filled);
            }
            covered = Math.Min(run.EndCluster * clusterSize, header.DeviceSize);
        }
        if (covered < header.DeviceSize)
        {
            yield return Extent.Absent(covered, header.DeviceSize - covered);
        }
        _clusterRecords = map.ClusterRecords;
        _gapRecords = map.GapRecords;
        _backupBootSector = map.HasBackupBootSector;
        _complete = true;
    }

    /// <inheritdoc />
    public JsonObject? DescribeAfterRun() => new()
    {
        ["bytesRead"] = BytesRead,
        ["clusterRecords"] = _clusterRecords,
        ["gapRecords"] = _gapRecords,
        ["backupBootSector"] = _backupBootSector,
        ["metadataImage"] = IsMetadataImage ?? (_complete ? false : null),
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
}
