using System.Text.Json.Nodes;
using ForensicPipe.Formats.ImageAccess;

namespace ForensicPipe.Formats.Disk;

/// <summary>A byte range of another random-access image (a partition of a <see cref="DiskRandomAccess"/>) as an image
/// of its own. Does not own the image it reads: disposing of it does nothing.</summary>
internal sealed class RandomAccessSlice(IRandomAccessImage inner, long start, long length, string path, string format, string? fileSystem) : IRandomAccessImage
{
    /// <inheritdoc />
    public string Path { get; } = path;

    /// <inheritdoc />
    public string Format { get; } = format;

    /// <inheritdoc />
    public long Length { get; } = length;

    /// <inheritdoc />
    public string? FileSystem { get; } = fileSystem;

    /// <inheritdoc />
    public long IndexMemoryBytes => 0;

    /// <inheritdoc />
    public int Read(long offset, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset >= Length)
        {
            return 0;
        }
        return inner.Read(start + offset, destination[..(int)Math.Min(destination.Length, Length - offset)]);
    }

    /// <inheritdoc />
    public JsonObject Describe() => new() { ["format"] = Format, ["start"] = start, ["size"] = Length };

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
