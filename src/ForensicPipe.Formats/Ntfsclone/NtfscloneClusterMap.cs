using System.Buffers.Binary;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Errors;
using ForensicPipe.Formats.ImageAccess;

namespace ForensicPipe.Formats.Ntfsclone;

/// <summary>
/// Where every stored cluster of a seekable image lies, found by one scan of the record tags (payloads are
/// skipped, not read): runs of consecutive clusters sorted by cluster number, disjoint, last write wins
/// (docs/formats/ntfsclone.md, "Metadata images" and "Random access"). The scan also validates the whole record stream,
/// so a truncated or corrupt image is refused before any byte of the partition is emitted.
/// </summary>
internal sealed class NtfscloneClusterMap
{
    /// <summary>Clusters a metadata image may repeat or reorder before the map refuses it: every such cluster
    /// takes one dictionary entry while the order is resolved (about 40 bytes each).</summary>
    internal const int MaxReorderedClusters = 1 << 24;

    private NtfscloneClusterMap(List<NtfscloneRun> runs)
    {
        Runs = runs;
    }

    /// <summary>The stored clusters in cluster order.</summary>
    public IReadOnlyList<NtfscloneRun> Runs { get; }

    /// <summary>Cluster records in the image (repeats included).</summary>
    public long ClusterRecords { get; private init; }

    /// <summary>Gap records in the image.</summary>
    public long GapRecords { get; private init; }

    /// <summary>Gaps with a negative count.</summary>
    public long NegativeGaps { get; private init; }

    /// <summary>Cluster records that store a cluster stored before (the later one wins).</summary>
    public long RepeatedClusters { get; private init; }

    /// <summary>Whether the records go backwards: an image written by <c>ntfsclone --metadata --save-image</c>, which
    /// holds NTFS metadata only, in inode-walk order (docs/formats/ntfsclone.md, "Metadata images").</summary>
    public bool IsMetadataImage => NegativeGaps > 0 || RepeatedClusters > 0;

    /// <summary>Whether the image stores the partial last cluster holding the backup boot sector.</summary>
    public bool HasBackupBootSector { get; private init; }

    /// <summary>Distinct clusters stored.</summary>
    public long StoredClusters { get; private init; }

    /// <summary>Scans the records of <paramref name="file"/> from <see cref="NtfscloneHeader.DataOffset"/> to its end,
    /// or, with <paramref name="stopAtVolumeEnd"/> (an image on a block device, which may be larger), to the record
    /// that completes the volume.</summary>
    public static NtfscloneClusterMap Scan(PositionalRead file, long fileLength, NtfscloneHeader header, CancellationToken cancellationToken,
        bool stopAtVolumeEnd = false)
    {
        var runs = new List<NtfscloneRun>();
        Span<byte> record = stackalloc byte[NtfscloneFieldOffsets.RecordTagLength + NtfscloneFieldOffsets.GapCountLength];
        long position = header.DataOffset;
        long cluster = 0;
        long clusterRecords = 0, gapRecords = 0, negativeGaps = 0;
        long highestEnd = 0; // one past the highest cluster stored so far
        bool ordered = true;
        bool backupBootSector = false;
        int sinceCheck = 0;
        while (position < fileLength && !(stopAtVolumeEnd && cluster == header.ClusterCount + 1))
        {
            if (++sinceCheck == 65536)
            {
                sinceCheck = 0;
                cancellationToken.ThrowIfCancellationRequested();
            }
            int wanted = (int)Math.Min(record.Length, fileLength - position);
            int got = file(record[..wanted], position);
            if (got == 0)
            {
                break;
            }
            switch ((NtfscloneRecordTag)record[0])
            {
                case NtfscloneRecordTag.Next:
                    {
                        if (cluster > header.ClusterCount)
                        {
                            NtfscloneThrowHelper.ThrowInvalid("cluster record", position,
                                $"cluster {cluster} is past the last cluster {header.ClusterCount} of the image");
                        }
                        long payload = header.GetPayloadLength(cluster);
                        if (position + 1 + payload > fileLength)
                        {
                            NtfscloneThrowHelper.ThrowTruncated($"payload of cluster {cluster}", position + 1, payload, fileLength - position - 1);
                        }
                        if (runs.Count > 0 && runs[^1] is var last && last.EndCluster == cluster
                            && last.PayloadOffset + (last.Count * (header.ClusterSize + 1L)) == position + 1)
                        {
                            runs[^1] = last with { Count = last.Count + 1 };
                        }
                        else
                        {
                            runs.Add(new NtfscloneRun(cluster, 1, position + 1));
                        }
                        if (cluster < highestEnd)
                        {
                            ordered = false;
                        }
                        highestEnd = Math.Max(highestEnd, cluster + 1);
                        backupBootSector |= cluster == header.ClusterCount;
                        clusterRecords++;
                        cluster++;
                        position += 1 + payload;
                        break;
                    }
                case NtfscloneRecordTag.Gap:
                    {
                        if (got < record.Length)
                        {
                            NtfscloneThrowHelper.ThrowTruncated("gap record", position, record.Length, got);
                        }
                        long count = BinaryPrimitives.ReadInt64LittleEndian(record[1..]);
                        cluster = ApplyGap(header, cluster, count, position + 1);
                        gapRecords++;
                        negativeGaps += count < 0 ? 1 : 0;
                        position += record.Length;
                        break;
                    }
                default:
                    ThrowUnknownTag(record[0], position);
                    break;
            }
        }
        CheckEnd(header, cluster, fileLength);

        long repeated = 0;
        if (!ordered)
        {
            (runs, repeated) = ResolveLastWriteWins(runs, header.ClusterSize);
        }
        return new NtfscloneClusterMap(runs)
        {
            ClusterRecords = clusterRecords,
            GapRecords = gapRecords,
            NegativeGaps = negativeGaps,
            RepeatedClusters = repeated,
            HasBackupBootSector = backupBootSector,
            StoredClusters = runs.Sum(run => run.Count),
        };
    }

    /// <summary>Moves <paramref name="cluster"/> by a gap of <paramref name="count"/> clusters read at
    /// <paramref name="countOffset"/>, refusing a zero gap and one that leaves the volume.</summary>
    internal static long ApplyGap(NtfscloneHeader header, long cluster, long count, long countOffset)
    {
        if (count == 0)
        {
            NtfscloneThrowHelper.ThrowInvalid("gap count", countOffset, "a gap of 0 clusters is invalid");
        }
        // The stream may reach cluster_count + 1: just past the backup boot sector's cluster
        // (docs/formats/ntfsclone.md, "Record stream").
        if (count > header.ClusterCount + 1 - cluster || count < -cluster)
        {
            NtfscloneThrowHelper.ThrowInvalid("gap count", countOffset,
                $"a gap of {count} clusters from cluster {cluster} leaves the volume of {header.ClusterCount} clusters");
        }
        return cluster + count;
    }

    /// <summary>The record stream may end just after the backup boot sector's cluster, or at the end of the volume
    /// without it (format 10.0, and ntfsclone only warns for 10.1; docs/formats/ntfsclone.md, "Versions"); anything
    /// earlier is truncation.</summary>
    internal static void CheckEnd(NtfscloneHeader header, long cluster, long endOffset)
    {
        if (cluster != header.ClusterCount && cluster != header.ClusterCount + 1)
        {
            NtfscloneThrowHelper.ThrowInvalid("end of image", endOffset,
                $"image truncated: the records end at cluster {cluster} of {header.ClusterCount}");
        }
    }

    internal static void ThrowUnknownTag(byte tag, long offset) =>
        NtfscloneThrowHelper.ThrowInvalid("record type", offset, $"0x{tag:x2} is neither a gap (0x00) nor a cluster (0x01) record");

    private static (List<NtfscloneRun> Runs, long Repeated) ResolveLastWriteWins(List<NtfscloneRun> runs, int clusterSize)
    {
        long stride = clusterSize + 1L;
        var latest = new Dictionary<long, long>();
        long repeated = 0;
        foreach (NtfscloneRun run in runs)
        {
            for (long i = 0; i < run.Count; i++)
            {
                if (latest.Count >= MaxReorderedClusters)
                {
                    throw new ImageFormatException(NtfscloneThrowHelper.FormatName, "cluster records", run.PayloadOffset - 1,
                        $"more than {MaxReorderedClusters} clusters in an image whose records go backwards");
                }
                if (latest.ContainsKey(run.FirstCluster + i))
                {
                    repeated++;
                }
                latest[run.FirstCluster + i] = run.PayloadOffset + (i * stride);
            }
        }

        var resolved = new List<NtfscloneRun>();
        foreach ((long cluster, long payload) in latest.OrderBy(entry => entry.Key))
        {
            if (resolved.Count > 0 && resolved[^1] is var last && last.EndCluster == cluster
                && last.PayloadOffset + (last.Count * stride) == payload)
            {
                resolved[^1] = last with { Count = last.Count + 1 };
            }
            else
            {
                resolved.Add(new NtfscloneRun(cluster, 1, payload));
            }
        }
        return (resolved, repeated);
    }

    /// <summary>What the scan found, for the report.</summary>
    public JsonObject Describe() => new()
    {
        ["clusterRecords"] = ClusterRecords,
        ["gapRecords"] = GapRecords,
        ["negativeGaps"] = NegativeGaps,
        ["repeatedClusters"] = RepeatedClusters,
        ["storedClusters"] = StoredClusters,
        ["runs"] = Runs.Count,
    };
}
