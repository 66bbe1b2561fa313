namespace ForensicPipe.Core.Jobs.Results;

/// <summary>What a sink's job outcome depends on, beyond the details it gives the report: whether its target
/// was left holding a partial output, and the read-back comparison when it did one.</summary>
/// <param name="Path">The output (file or device).</param>
public sealed record SinkOutcome(string Path)
{
    /// <summary>Why the target holds a partial output (a device restore that did not finish), or null.</summary>
    public string? Incomplete { get; init; }

    /// <summary>The comparison of what was sent with what was read back, when the sink read back.</summary>
    public ReadBackResult? ReadBack { get; init; }

    /// <summary>The read-back of a split output's pieces, when the sink read them back.</summary>
    public PiecesReadBack? PiecesReadBack { get; init; }
}
