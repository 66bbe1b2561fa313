using ForensicPipe.Core.Errors;

namespace ForensicPipe.Formats.Input;

/// <summary>The pieces of a <see cref="SplitSet"/> read one after the other as one forward-only stream. Each piece must
/// still hold the bytes it had when the set was found: a piece that ends early is an error naming it and the offset in
/// it where its bytes ran out.</summary>
internal sealed class SplitSetStream : ForwardOnlyStream
{
    private readonly SplitSet _set;
    private FileStream? _current;
    private int _index = -1;
    private long _inPiece;

    public SplitSetStream(SplitSet set)
    {
        _set = set;
    }

    /// <summary>The set read.</summary>
    public SplitSet Set => _set;

    public override int Read(Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            if (!NextPieceIfNeeded())
            {
                return 0;
            }
            SplitPiece piece = _set.Pieces[_index];
            int wanted = (int)Math.Min(buffer.Length, piece.Length - _inPiece);
            int got;
            try
            {
                got = _current!.Read(buffer[..wanted]);
            }
            catch (IOException ex)
            {
                throw new DeviceIOException(piece.Path, _inPiece, $"cannot read the split piece: {ex.Message}", ex);
            }
            if (got == 0)
            {
                throw new ImageFormatException(piece.Path, "split piece", _inPiece,
                    $"the piece ends early: it had {piece.Length} bytes when the set was opened");
            }
            _inPiece += got;
            return got;
        }
        return 0;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<int>(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Moves to the next piece when the current one is done; false after the last.</summary>
    private bool NextPieceIfNeeded()
    {
        while (_index < 0 || _inPiece == _set.Pieces[_index].Length)
        {
            _current?.Dispose();
            _current = null;
            if (_index + 1 >= _set.Pieces.Count)
            {
                return false;
            }
            _index++;
            _inPiece = 0;
            _current = SequentialImage.OpenFile(_set.Pieces[_index].Path);
        }
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current?.Dispose();
            _current = null;
        }
        base.Dispose(disposing);
    }
}
