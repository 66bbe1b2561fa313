using System.Text.Json.Nodes;
using ForensicPipe.Core.Diagnostics;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;

namespace ForensicPipe.Core.Stages.Hashing;

/// <summary>
/// Several hash algorithms on one block and one thread, when a job has more algorithms than processors
/// (<see cref="HashThreadPlan"/>): each extent goes to each member in turn. The members keep their own
/// digests, windows, report entries and sidecars; the group itself is neither a sink nor a hash in the report.
/// </summary>
public sealed class HashGroupConsumer : IExtentConsumer
{
    private readonly HashConsumer[] _members;
    private readonly KeyValuePair<string, object?>[] _memberTags;

    /// <summary>Groups <paramref name="members"/>; they are disposed with the group.</summary>
    public HashGroupConsumer(IReadOnlyList<HashConsumer> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0)
        {
            throw new ArgumentException("A hash group needs at least one algorithm.", nameof(members));
        }
        _members = [.. members];
        _memberTags = [.. _members.Select(member => new KeyValuePair<string, object?>("fpipe.consumer", member.Name))];
        Name = string.Join('+', _members.Select(member => member.Name));
    }

    /// <summary>The algorithms joined with <c>+</c> (<c>sha1+sha256</c>): the name of the block, its span,
    /// its metrics and its errors (<c>hash sha1+sha256</c>).</summary>
    public string Name { get; }

    /// <summary>The hashers of the group, in the job's order.</summary>
    public IReadOnlyList<HashConsumer> Members => _members;

    /// <inheritdoc />
    public async ValueTask OpenAsync(SourceInfo source, CancellationToken cancellationToken)
    {
        foreach (HashConsumer member in _members)
        {
            await member.OpenAsync(source, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask ConsumeAsync(Extent extent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(extent);
        for (int i = 0; i < _members.Length; i++)
        {
            await _members[i].ConsumeAsync(extent, cancellationToken).ConfigureAwait(false);
            // The pipeline counts the group's bytes under its own name; this keeps each algorithm's series
            // as it is when the algorithm runs alone.
            PipelineTelemetry.ConsumerBytes.Add(extent.Length, _memberTags[i]);
        }
    }

    /// <inheritdoc />
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        foreach (HashConsumer member in _members)
        {
            await member.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        foreach (HashConsumer member in _members)
        {
            await member.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The algorithms of the group; their digests are described by the members themselves.</summary>
    public JsonObject Describe() => new()
    {
        ["algorithms"] = new JsonArray([.. _members.Select(member => (JsonNode?)member.Algorithm)]),
    };

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (HashConsumer member in _members)
        {
            await member.DisposeAsync().ConfigureAwait(false);
        }
    }
}
