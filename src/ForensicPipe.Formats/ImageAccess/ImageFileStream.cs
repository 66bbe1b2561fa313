namespace ForensicPipe.Formats.ImageAccess;

/// <summary>A forward-only read stream over an <see cref="ImageFile"/> from a start offset, so the
/// sequential readers can parse headers and bitmaps through the same read-only handle. Reads complete
/// synchronously (positional reads).</summary>
internal sealed class ImageFileStream : Stream
{
    private readonly ImageFile _file;
    private long _position;

    public ImageFileStream(ImageFile file, long start = 0)
    {
        _file = file;
        _position = start;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int got = _file.ReadAt(_position, buffer);
        _position += got;
        return got;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<int>(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
