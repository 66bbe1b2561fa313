namespace ForensicPipe.Core.Pipeline;

/// <summary>Knobs of the Dataflow graph.</summary>
public sealed record PipelineOptions
{
    /// <summary>Extents a stage block may hold in its input queue. Queues bound the
    /// memory of the whole graph whatever the input size.</summary>
    public int BlockCapacity { get; init; } = 4;

    /// <summary>Extents each consumer (sink, hasher) may hold. The fan-out hands an extent on only when every
    /// consumer has room, so this is the slack that keeps the slowest hasher busy while a faster one waits
    /// for a core; consumers share the buffers by reference, so 32 queues of 1 MiB cost at most 32 MiB
    /// more in all, not 32 MiB each.</summary>
    public int ConsumerCapacity { get; init; } = 32;
}
