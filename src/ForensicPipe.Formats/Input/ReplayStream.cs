namespace ForensicPipe.Formats.Input;

/// <summary>
/// A forward-only stream that first returns bytes already taken from its inner stream (a probe), then the rest
/// of the inner stream. This is how a format is detected on a pipe without losing the bytes looked at.
/// </summary>
internal sealed class ReplayStream : ForwardOnlyStream
{
    private readonly Stream _inner;
    private readonly byte[] _prefix;
    private readonly bool _leaveOpen;
    private int _prefixPosition;

    public ReplayStream(Stream inner, byte[] prefix, bool leaveOpen = false)
    {
        _inner = inner;
        _prefix = prefix;
        _leaveOpen = leaveOpen;
    }

    public override int Read(Span<byte> buffer)
    {
        if (_prefixPosition < _prefix.Length)
        {
            return TakePrefix(buffer);
        }
        return _inner.Read(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_prefixPosition < _prefix.Length)
        {
            return new ValueTask<int>(TakePrefix(buffer.Span));
        }
        return _inner.ReadAsync(buffer, cancellationToken);
    }

    private int TakePrefix(Span<byte> destination)
    {
        int count = Math.Min(destination.Length, _prefix.Length - _prefixPosition);
        _prefix.AsSpan(_prefixPosition, count).CopyTo(destination);
        _prefixPosition += count;
        return count;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
