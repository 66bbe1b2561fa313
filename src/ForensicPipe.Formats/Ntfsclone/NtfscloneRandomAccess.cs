using System.Text.Json.Nodes;
using ForensicPipe.Core.Stages.Fill;
using ForensicPipe.Formats.ImageAccess;

namespace ForensicPipe.Formats.Ntfsclone;

/// <summary>
/// Random access to an ntfsclone special image (docs/formats/ntfsclone.md, "Random access"). One scan of the record
/// tags at open (<see cref="NtfscloneClusterMap"/>, which also refuses a truncated or corrupt image) finds the runs of
/// stored clusters; a read binary-searches them, and cluster <c>x</c> of a run lies at
/// <c>payload_offset + (x − first) × (cluster_size + 1)</c>. Clusters the image does not store read as the fill.
/// Metadata images work too: the map is resolved last-write-wins. ntfsclone stores no checksums, so there is
/// nothing to verify on read. Memory: 24 bytes per run (tens of runs for a full image).
/// </summary>
public sealed class NtfscloneRandomAccess : IRandomAccessImage
{
    private readonly ImageFile _file;
    private readonly NtfscloneHeader _header;
    private readonly NtfscloneClusterMap _map;
    private readonly NtfscloneRun[] _runs;
    private readonly FillPattern _fill;

    private NtfscloneRandomAccess(ImageFile file, NtfscloneHeader header, NtfscloneClusterMap map, FillPattern fill)
    {
        _file = file;
        _header = header;
        _map = map;
        _runs = [.. map.Runs];
        _fill = fill;
    }

    /// <inheritdoc />
    public string Path => _file.Path;

    /// <inheritdoc />
    public string Format => NtfscloneReader.FormatName;

    /// <inheritdoc />
    public long Length => _header.DeviceSize;

    /// <inheritdoc />
    public string? FileSystem => "NTFS";

    /// <summary>The validated header.</summary>
    public NtfscloneHeader Header => _header;

    /// <summary>Whether the records go backwards (an <c>ntfsclone --metadata</c> image).</summary>
    public bool IsMetadataImage => _map.IsMetadataImage;

    /// <inheritdoc />
    public long IndexMemoryBytes => (long)_runs.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<NtfscloneRun>();

    /// <summary>Parses the header and scans every record; takes over <paramref name="file"/> on success.</summary>
    public static ValueTask<NtfscloneRandomAccess> OpenAsync(ImageFile file, RandomAccessOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.VerifyReads)
        {
            throw new RandomAccessRefusedException(file.Path, "--verify-reads: ntfsclone images store no checksums",
                $"check the structure with fpipe verify '{file.Path}'");
        }
        byte[] headerBytes = new byte[NtfscloneFieldOffsets.HeaderSize];
        int got = file.ReadAt(0, headerBytes);
        NtfscloneHeader header = NtfscloneHeader.Parse(headerBytes.AsSpan(0, got));
        NtfscloneClusterMap map = NtfscloneClusterMap.Scan((destination, offset) => file.ReadAt(offset, destination), file.Length, header, cancellationToken, stopAtVolumeEnd: file.IsBlockDevice);
        return ValueTask.FromResult(new NtfscloneRandomAccess(file, header, map, options.Fill));
    }

    /// <inheritdoc />
    public int Read(long offset, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset >= Length)
        {
            return 0;
        }
        int count = (int)Math.Min(destination.Length, Length - offset);
        long clusterSize = _header.ClusterSize;
        long position = offset;
        long end = offset + count;
        int run = FindRun(position / clusterSize);
        while (position < end)
        {
            Span<byte> rest = destination[(int)(position - offset)..count];
            long cluster = position / clusterSize;
            while (run < _runs.Length && _runs[run].EndCluster <= cluster)
            {
                run++;
            }
            if (run == _runs.Length || _runs[run].FirstCluster > cluster)
            {
                // Not stored: fill up to the next stored cluster or the end of the read.
                long nextStored = run == _runs.Length ? long.MaxValue : _runs[run].FirstCluster * clusterSize;
                int gap = (int)Math.Min(rest.Length, nextStored - position);
                _fill.WriteAt(position, rest[..gap]);
                position += gap;
                continue;
            }
            NtfscloneRun stored = _runs[run];
            long inCluster = position - (cluster * clusterSize);
            int part = (int)Math.Min(rest.Length, _header.GetPayloadLength(cluster) - inCluster);
            long imageOffset = stored.PayloadOffset + ((cluster - stored.FirstCluster) * (clusterSize + 1)) + inCluster;
            int got = _file.ReadAt(imageOffset, rest[..part]);
            if (got < part)
            {
                NtfscloneThrowHelper.ThrowTruncated($"payload of cluster {cluster}", imageOffset - inCluster, _header.GetPayloadLength(cluster), inCluster + got);
            }
            position += part;
        }
        return count;
    }

    /// <summary>Index of the first run that ends after <paramref name="cluster"/> (binary search).</summary>
    private int FindRun(long cluster)
    {
        int low = 0, high = _runs.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_runs[middle].EndCluster <= cluster)
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
        json["scan"] = _map.Describe();
        json["metadataImage"] = _map.IsMetadataImage;
        json["indexMemoryBytes"] = IndexMemoryBytes;
        return json;
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
