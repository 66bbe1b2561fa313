using System.Text.Json.Nodes;
using ForensicPipe.Core.Extents;

namespace ForensicPipe.Core.Pipeline;

/// <summary>
/// A transforming stage between the source and the fan-out (verify, fill). It runs on its own block with
/// one message at a time, so it sees every extent in order. For each input it writes zero or more
/// extents to the output. The runner releases the input after <see cref="ProcessAsync"/> returns or throws;
/// a stage that passes the input (or its buffer) on calls <see cref="Extent.Retain"/> first, because
/// <see cref="IExtentWriter.WriteAsync"/> takes over one reference.
/// </summary>
public interface IExtentStage
{
    /// <summary>Name for spans, metrics and the report (<c>verify</c>, <c>fill</c>).</summary>
    string Name { get; }

    /// <summary>Handles one extent.</summary>
    ValueTask ProcessAsync(Extent extent, IExtentWriter output, CancellationToken cancellationToken);

    /// <summary>Called once after the last extent; may write final extents or throw for an incomplete input.</summary>
    ValueTask CompleteAsync(IExtentWriter output, CancellationToken cancellationToken);

    /// <summary>What the stage did, for the report.</summary>
    JsonObject Describe();
}
