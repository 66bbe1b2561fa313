namespace ForensicPipe.Formats.Ntfsclone;

/// <summary>Consecutive clusters stored as consecutive cluster records: the payload of cluster
/// <c>FirstCluster + i</c> starts at image byte <c>PayloadOffset + i × (cluster size + 1)</c>
/// (docs/formats/ntfsclone.md, "Random access").</summary>
/// <param name="FirstCluster">First cluster of the run.</param>
/// <param name="Count">Clusters in the run.</param>
/// <param name="PayloadOffset">Image offset of the first cluster's payload (just after its record tag).</param>
internal readonly record struct NtfscloneRun(long FirstCluster, long Count, long PayloadOffset)
{
    /// <summary>The cluster just past the run.</summary>
    public long EndCluster => FirstCluster + Count;
}
