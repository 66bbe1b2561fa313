namespace ForensicPipe.Core.Pipeline;

/// <summary>Knobs of the Dataflow graph.</summary>
public sealed record PipelineOptions
{
    /// <summary>Extents each block may hold in its input queue. With 1 MiB buffers, a queue of 8 holds
    /// at most 8 MiB, which bounds the memory of the whole graph whatever the input size.</summary>
    public int BlockCapacity { get; init; } = 8;
}
