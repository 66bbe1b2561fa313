using System.Text.Json.Nodes;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;

namespace ForensicPipe.Core.Sinks;

/// <summary>Discards the data: for jobs that only hash or verify.</summary>
public sealed class NullSink : IExtentConsumer
{
    private long _bytes;

    /// <inheritdoc />
    public string Name => "null";

    /// <inheritdoc />
    public ValueTask OpenAsync(SourceInfo source, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask ConsumeAsync(Extent extent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(extent);
        _bytes += extent.Length;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask CompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask CommitAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public JsonObject Describe() => new() { ["bytes"] = _bytes };

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
