using ForensicPipe.Core.Extents;

namespace ForensicPipe.Core.Pipeline;

/// <summary>Where a stage sends its output. Waits while the next block is full (back-pressure).</summary>
public interface IExtentWriter
{
    /// <summary>Passes <paramref name="extent"/>, and one reference on its buffer, to the next block. If the
    /// job is ending and the next block refuses it, the reference is released and the call throws
    /// <see cref="OperationCanceledException"/>.</summary>
    ValueTask WriteAsync(Extent extent, CancellationToken cancellationToken);
}
