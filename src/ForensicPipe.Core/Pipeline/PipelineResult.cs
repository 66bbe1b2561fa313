namespace ForensicPipe.Core.Pipeline;

/// <summary>What a pipeline run did.</summary>
/// <param name="Fault">The first error that ended the run, or null.</param>
/// <param name="FaultedBlock">Name of the block that raised <paramref name="Fault"/>.</param>
/// <param name="Cancelled">The caller cancelled the run.</param>
/// <param name="PartitionBytes">Partition bytes the source emitted (all kinds).</param>
/// <param name="DataBytes">Bytes in Data extents.</param>
/// <param name="AbsentBytes">Bytes in Absent extents.</param>
/// <param name="UnreadableBytes">Bytes in Unreadable extents.</param>
/// <param name="Extents">Extents the source emitted.</param>
public sealed record PipelineResult(
    Exception? Fault, string? FaultedBlock, bool Cancelled,
    long PartitionBytes, long DataBytes, long AbsentBytes, long UnreadableBytes, long Extents)
{
    /// <summary>The run went through to the end.</summary>
    public bool Succeeded => Fault is null && !Cancelled;
}
