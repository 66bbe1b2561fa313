namespace ForensicPipe.Formats.Tests.TestSupport;

/// <summary>
/// A pipe stand-in: forwards reads to the inner stream, cannot seek, has no length or position, and
/// optionally returns at most <c>maxChunk</c> bytes per read, like a pipe that delivers short reads.
/// </summary>
internal sealed class NonSeekableStream(Stream inner, int maxChunk = int.MaxValue) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException("A pipe has no length.");

    public override long Position
    {
        get => throw new NotSupportedException("A pipe has no position.");
        set => throw new NotSupportedException("A pipe cannot seek.");
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, maxChunk));

    public override int Read(Span<byte> buffer) => inner.Read(buffer[..Math.Min(buffer.Length, maxChunk)]);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer[..Math.Min(buffer.Length, maxChunk)], cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, Math.Min(count, maxChunk), cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A pipe cannot seek.");

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Flush()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
