using System.Text.Json.Nodes;
using ForensicPipe.Core.Extents;

namespace ForensicPipe.Core.Pipeline;

/// <summary>
/// An end of the pipeline behind the fan-out: a sink (raw file, device, null) or a hasher. Each consumer
/// runs on its own block, one extent at a time, in order. The runner releases each extent after
/// <see cref="ConsumeAsync"/> returns; a consumer that keeps the bytes longer must retain them.
/// </summary>
public interface IExtentConsumer : IAsyncDisposable
{
    /// <summary>Name for spans, metrics and the report (<c>raw-file</c>, <c>sha256</c>).</summary>
    string Name { get; }

    /// <summary>Prepares the output before any data flows (creates <c>NAME.partial</c>, checks the target).
    /// A refusal throws a <see cref="Errors.ForensicPipeException"/>.</summary>
    ValueTask OpenAsync(SourceInfo source, CancellationToken cancellationToken);

    /// <summary>Takes one extent.</summary>
    ValueTask ConsumeAsync(Extent extent, CancellationToken cancellationToken);

    /// <summary>All extents were consumed: flush and make durable, but do not yet present the output as
    /// complete (the job may still fail elsewhere).</summary>
    ValueTask CompleteAsync(CancellationToken cancellationToken);

    /// <summary>The whole job succeeded: present the output as complete (rename <c>.partial</c>).</summary>
    ValueTask CommitAsync(CancellationToken cancellationToken);

    /// <summary>What the consumer did, for the report (bytes written, path, digests).</summary>
    JsonObject Describe();

    /// <summary>What the job's outcome depends on (a partial target, a read-back), or null for a consumer
    /// whose outcome is its <see cref="Describe"/> details alone.</summary>
    Jobs.Results.SinkOutcome? Outcome => null;
}
