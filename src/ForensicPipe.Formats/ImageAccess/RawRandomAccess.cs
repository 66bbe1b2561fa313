using System.Text.Json.Nodes;

namespace ForensicPipe.Formats.ImageAccess;

/// <summary>A raw image file or block device as it is: partition offset = file offset. Read-only.</summary>
public sealed class RawRandomAccess : IRandomAccessImage
{
    /// <summary>Format name.</summary>
    public const string FormatName = "raw";

    private readonly ImageFile _file;

    /// <summary>Takes over <paramref name="file"/>.</summary>
    public RawRandomAccess(ImageFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        _file = file;
    }

    /// <inheritdoc />
    public string Path => _file.Path;

    /// <inheritdoc />
    public string Format => FormatName;

    /// <inheritdoc />
    public long Length => _file.Length;

    /// <inheritdoc />
    public string? FileSystem => null;

    /// <inheritdoc />
    public long IndexMemoryBytes => 0;

    /// <summary>Opens a raw file or device (see <see cref="ImageFile.Open"/> for what is refused).</summary>
    public static RawRandomAccess Open(ImageFile file, RandomAccessOptions options) => new(file);

    /// <inheritdoc />
    public int Read(long offset, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset >= Length)
        {
            return 0;
        }
        int count = (int)Math.Min(destination.Length, Length - offset);
        return _file.ReadAt(offset, destination[..count]);
    }

    /// <inheritdoc />
    public JsonObject Describe() => new()
    {
        ["format"] = FormatName,
        ["blockDevice"] = _file.IsBlockDevice,
        ["size"] = Length,
    };

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
