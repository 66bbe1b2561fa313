using System.Text.Json.Nodes;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;

namespace ForensicPipe.Core.Stages.Fill;

/// <summary>
/// Materialises Absent and Unreadable extents as Data extents holding a pattern, one pool buffer at a
/// time, so that an absent terabyte costs one buffer of memory at a time. Data extents pass through.
/// </summary>
public sealed class FillStage : IExtentStage
{
    private readonly FillPattern _pattern;
    private readonly BufferPool _pool;
    private readonly byte[] _tile;
    private long _filledBytes;

    /// <summary>Creates the stage; buffers come from <paramref name="pool"/>.</summary>
    public FillStage(FillPattern pattern, BufferPool pool)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(pool);
        _pattern = pattern;
        _pool = pool;
        _tile = pattern.CreateTile(pool.BufferSize);
    }

    /// <inheritdoc />
    public string Name => "fill";

    /// <inheritdoc />
    /// <remarks>Data extents pass by reference; a fill costs a pattern copy per buffer.</remarks>
    public bool RunsInline => true;

    /// <summary>The pattern's name (<c>deadbeef</c>, <c>zero</c> or its hex digits).</summary>
    public string PatternName => _pattern.Name;

    /// <summary>Bytes materialised.</summary>
    public long FilledBytes => Interlocked.Read(ref _filledBytes);

    /// <inheritdoc />
    public async ValueTask ProcessAsync(Extent extent, IExtentWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(extent);
        ArgumentNullException.ThrowIfNull(output);
        if (extent.Kind == ExtentKind.Data)
        {
            extent.Retain();
            await output.WriteAsync(extent, cancellationToken).ConfigureAwait(false);
            return;
        }
        long offset = extent.Offset;
        while (offset < extent.End)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int length = (int)Math.Min(_pool.BufferSize, extent.End - offset);
            PooledBuffer buffer = _pool.Rent();
            FillPattern.Fill(_tile, _pattern.Bytes.Count, offset, buffer.Span[..length]);
            Interlocked.Add(ref _filledBytes, length);
            await output.WriteAsync(Extent.Data(offset, buffer, length), cancellationToken).ConfigureAwait(false);
            offset += length;
        }
    }

    /// <inheritdoc />
    public ValueTask CompleteAsync(IExtentWriter output, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public JsonObject Describe() => new()
    {
        ["pattern"] = _pattern.Name,
        ["patternBytes"] = Convert.ToHexStringLower([.. _pattern.Bytes]),
        ["filledBytes"] = FilledBytes,
    };
}
