using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Verification;

namespace ForensicPipe.Core.Pipeline;

/// <summary>
/// A pluggable source: a raw file or device, or a backup-image reader. It emits the reconstructed
/// partition as extents in ascending offset order covering <c>[0, size)</c> with no gaps or overlaps.
/// </summary>
public interface IExtentSource : IAsyncDisposable
{
    /// <summary>Opens the input and reads whatever metadata comes before the data (headers, bitmap).
    /// Throws a <see cref="Errors.ForensicPipeException"/> with a one-line message on bad input.</summary>
    ValueTask<SourceInfo> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Streams the extents. Data extents are read into buffers from <paramref name="pool"/>, each
    /// holding one reference that passes to the receiver. Called once, after <see cref="OpenAsync"/>.</summary>
    IAsyncEnumerable<Extent> ReadAsync(BufferPool pool, CancellationToken cancellationToken);

    /// <summary>The checker of the image's own checksums, fed by a verify stage, or null when the format has
    /// none (a raw file).</summary>
    IImageVerifier? Verifier { get; }

    /// <summary>Bytes consumed from the input so far (image bytes, not partition bytes).</summary>
    long BytesRead { get; }

    /// <summary>Facts learnt while reading, for the report (e.g. the probed size), or null.</summary>
    System.Text.Json.Nodes.JsonObject? DescribeAfterRun();

    /// <summary>What reading found that the user must be told (unreadable and unreported sectors), or null
    /// for a source that cannot find such things.</summary>
    Jobs.Results.SourceReadOutcome? ReadOutcome => null;
}
