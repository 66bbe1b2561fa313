using System.Text.Json.Nodes;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Jobs.Results;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.Input;

namespace ForensicPipe.Formats.Clonezilla;

/// <summary>
/// An image reader whose file carries a Clonezilla name: it adds what the name says (<c>fileName</c>) beside the
/// header's fields and a warning for each disagreement (<see cref="ClonezillaNameCheck"/>) to the source's
/// description, so that <c>fpipe info</c> shows them and every job's report records them. Everything else is the
/// reader's.
/// </summary>
internal sealed class ClonezillaNamedSource(IExtentSource reader, ClonezillaImageName name, string format, ImageCompression compression) : IExtentSource
{
    /// <inheritdoc />
    public IImageVerifier? Verifier => reader.Verifier;

    /// <inheritdoc />
    public long BytesRead => reader.BytesRead;

    /// <inheritdoc />
    public SourceReadOutcome? ReadOutcome => reader.ReadOutcome;

    /// <inheritdoc />
    public async ValueTask<SourceInfo> OpenAsync(CancellationToken cancellationToken)
    {
        SourceInfo info = await reader.OpenAsync(cancellationToken).ConfigureAwait(false);
        JsonObject details = info.Details ?? [];
        string? headerFileSystem = details["fileSystem"] is JsonValue value && value.TryGetValue(out string? text) ? text : null;
        details["fileName"] = name.Describe();
        IReadOnlyList<string> disagreements = ClonezillaNameCheck.Disagreements(name, format, compression, headerFileSystem);
        return info with { Details = details, Warnings = [.. info.Warnings, .. disagreements] };
    }

    /// <inheritdoc />
    public IAsyncEnumerable<Extent> ReadAsync(BufferPool pool, CancellationToken cancellationToken) => reader.ReadAsync(pool, cancellationToken);

    /// <inheritdoc />
    public JsonObject? DescribeAfterRun() => reader.DescribeAfterRun();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => reader.DisposeAsync();
}
