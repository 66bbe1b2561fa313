using ForensicPipe.Core.Buffers;

namespace ForensicPipe.Core.Extents;

/// <summary>
/// One piece of the reconstructed partition or device: the message that flows through the pipeline.
/// A source emits extents in strictly ascending <see cref="Offset"/> order that cover
/// <c>[0, size)</c> without gaps or overlaps. Offsets are partition offsets, never image-file offsets.
/// A <see cref="ExtentKind.Data"/> extent holds one reference on its buffer; whoever receives it either
/// passes it on or calls <see cref="Release"/>.
/// </summary>
public sealed class Extent
{
    private Extent(ExtentKind kind, long offset, long length, PooledBuffer? buffer, string? error, object? annotation)
    {
        Kind = kind;
        Offset = offset;
        Length = length;
        Buffer = buffer;
        Error = error;
        Annotation = annotation;
    }

    /// <summary>What the extent holds.</summary>
    public ExtentKind Kind { get; }

    /// <summary>Partition offset of the first byte.</summary>
    public long Offset { get; }

    /// <summary>Number of bytes covered.</summary>
    public long Length { get; }

    /// <summary>Partition offset just past the last byte.</summary>
    public long End => Offset + Length;

    /// <summary>The buffer of a <see cref="ExtentKind.Data"/> extent; null otherwise.</summary>
    public PooledBuffer? Buffer { get; }

    /// <summary>Why the range is unreadable (for <see cref="ExtentKind.Unreadable"/>).</summary>
    public string? Error { get; }

    /// <summary>Side information that travels beside the data, e.g. the stored checksums of the groups
    /// that end inside this extent, so a verify stage can check them on another core.</summary>
    public object? Annotation { get; }

    /// <summary>The bytes of a <see cref="ExtentKind.Data"/> extent (exactly <see cref="Length"/> bytes).</summary>
    public ReadOnlySpan<byte> Span => Buffer is null
        ? throw new InvalidOperationException($"A {Kind} extent has no bytes.")
        : Buffer.Span[..(int)Length];

    /// <summary>The bytes as memory, for asynchronous writes.</summary>
    public ReadOnlyMemory<byte> Memory => Buffer is null
        ? throw new InvalidOperationException($"A {Kind} extent has no bytes.")
        : Buffer.Memory[..(int)Length];

    /// <summary>Wraps <paramref name="length"/> filled bytes of <paramref name="buffer"/>; takes over the
    /// caller's reference.</summary>
    public static Extent Data(long offset, PooledBuffer buffer, int length, object? annotation = null)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, buffer.Size);
        return new Extent(ExtentKind.Data, offset, length, buffer, null, annotation);
    }

    /// <summary>A range the image does not contain.</summary>
    public static Extent Absent(long offset, long length, object? annotation = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1L);
        return new Extent(ExtentKind.Absent, offset, length, null, null, annotation);
    }

    /// <summary>A range that could not be read.</summary>
    public static Extent Unreadable(long offset, long length, string error)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1L);
        return new Extent(ExtentKind.Unreadable, offset, length, null, error, null);
    }

    /// <summary>Adds a holder of the buffer (no-op for extents without bytes).</summary>
    public void Retain() => Buffer?.Retain();

    /// <summary>Drops this holder's reference (no-op for extents without bytes).</summary>
    public void Release() => Buffer?.Release();

    /// <inheritdoc />
    public override string ToString() => $"{Kind} [{Offset}, {End})";
}
