using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using ForensicPipe.Core.Errors;

namespace ForensicPipe.Formats.Input;

/// <summary>
/// The decompressed bytes of a raw input, decoded on a thread of their own so that decompression overlaps the reader
/// that consumes them. The decoder thread fills chunks of <see cref="ChunkSize"/> bytes and hands them over through a
/// bounded queue; the reader gives each back when it has copied it out. At most <see cref="ChunkCount"/> chunks exist,
/// so memory stays the same whatever the size of the input. Damaged or truncated data ends the stream with an
/// <see cref="ImageFormatException"/> naming the file (the piece, for a split set) and the compressed byte offset in
/// it, after the bytes decoded before it. Forward-only; takes over the raw stream and the decoder.
/// </summary>
internal sealed class DecoderThreadStream : ForwardOnlyStream
{
    /// <summary>Decompressed bytes per chunk.</summary>
    public const int DefaultChunkSize = 1 << 20;

    /// <summary>Chunks in flight: the decoder can run this far ahead of the reader.</summary>
    public const int DefaultChunkCount = 4;

    /// <summary>Compressed bytes read from the raw input at a time.</summary>
    private const int InputSize = 256 * 1024;

    private readonly Stream _raw;
    private readonly ICompressedDecoder _decoder;
    private readonly Func<long, InputLocation> _locate;
    private readonly Channel<Chunk> _filled;
    private readonly Channel<byte[]> _free;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private Chunk _current;
    private int _currentPosition;
    private ExceptionDispatchInfo? _failure;
    private bool _ended;
    private int _created;
    private long _compressedBytes;

    /// <summary>Starts decoding <paramref name="raw"/> with <paramref name="decoder"/>; <paramref name="locate"/> names
    /// the file and offset of a compressed byte offset for error messages.</summary>
    public DecoderThreadStream(Stream raw, ICompressedDecoder decoder, Func<long, InputLocation> locate,
        int chunkSize = DefaultChunkSize, int chunkCount = DefaultChunkCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkCount);
        _raw = raw;
        _decoder = decoder;
        _locate = locate;
        ChunkSize = chunkSize;
        ChunkCount = chunkCount;
        _filled = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(chunkCount) { SingleReader = true, SingleWriter = true });
        _free = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        _thread = new Thread(Run) { IsBackground = true, Name = $"fpipe {decoder.Name} decoder" };
        _thread.Start();
    }

    /// <summary>Decompressed bytes per chunk.</summary>
    public int ChunkSize { get; }

    /// <summary>The most chunks that ever exist.</summary>
    public int ChunkCount { get; }

    /// <summary>Chunks allocated so far: never more than <see cref="ChunkCount"/>.</summary>
    public int ChunksCreated => Volatile.Read(ref _created);

    /// <summary>Compressed bytes the decoder has consumed so far.</summary>
    public long CompressedBytes => Interlocked.Read(ref _compressedBytes);

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            if (TryCopy(buffer, out int copied))
            {
                return copied;
            }
            if (!_filled.Reader.TryRead(out Chunk next))
            {
                if (!_filled.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                {
                    _ended = true;
                }
                continue;
            }
            Take(next);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryCopy(buffer.Span, out int copied))
            {
                return copied;
            }
            if (!_filled.Reader.TryRead(out Chunk next))
            {
                if (!await _filled.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    _ended = true;
                }
                continue;
            }
            Take(next);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Copies from the current chunk; false when a new chunk is needed.</summary>
    private bool TryCopy(Span<byte> destination, out int copied)
    {
        _failure?.Throw();
        copied = 0;
        if (destination.IsEmpty || _ended)
        {
            return true;
        }
        if (_current.Buffer is null)
        {
            return false;
        }
        copied = Math.Min(destination.Length, _current.Count - _currentPosition);
        _current.Buffer.AsSpan(_currentPosition, copied).CopyTo(destination);
        _currentPosition += copied;
        if (_currentPosition == _current.Count)
        {
            // Given back at once: the writer side of the free list never waits.
            _free.Writer.TryWrite(_current.Buffer);
            _current = default;
        }
        return true;
    }

    private void Take(Chunk next)
    {
        if (next.Error is not null)
        {
            _failure = ExceptionDispatchInfo.Capture(next.Error);
            _failure.Throw();
        }
        _current = next;
        _currentPosition = 0;
    }

    private void Run()
    {
        CancellationToken stop = _stop.Token;
        byte[] input = ArrayPool<byte>.Shared.Rent(InputSize);
        byte[]? chunk = null;
        int filled = 0;
        try
        {
            int start = 0, end = 0;
            bool final = false;
            long consumedBefore = 0;
            chunk = NextChunk(stop);
            while (true)
            {
                if (start == end && !final)
                {
                    start = 0;
                    end = ReadRaw(input, consumedBefore);
                    final = end == 0;
                }
                OperationStatus status;
                int consumed, written;
                try
                {
                    status = _decoder.Decode(input.AsSpan(start, end - start), chunk.AsSpan(filled), final, out consumed, out written);
                }
                catch (CompressedDataException ex)
                {
                    throw Damaged(_decoder, _locate, consumedBefore + ex.Consumed, ex.Message);
                }
                start += consumed;
                consumedBefore += consumed;
                Interlocked.Exchange(ref _compressedBytes, consumedBefore);
                filled += written;
                if (filled == chunk.Length)
                {
                    Publish(new Chunk(chunk, filled, null), stop);
                    chunk = null;
                    filled = 0;
                    if (status == OperationStatus.Done)
                    {
                        break;
                    }
                    chunk = NextChunk(stop);
                }
                else if (status == OperationStatus.Done)
                {
                    break;
                }
            }
            if (filled > 0)
            {
                Publish(new Chunk(chunk!, filled, null), stop);
                chunk = null;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The reader went away.
        }
        catch (Exception ex)
        {
            // The reader is owed the bytes decoded before the error, then the error.
            try
            {
                if (chunk is not null && filled > 0)
                {
                    Publish(new Chunk(chunk, filled, null), stop);
                }
                Publish(new Chunk(null, 0, ex), stop);
            }
            catch (OperationCanceledException)
            {
                // The reader went away; nobody is left to tell.
            }
        }
        finally
        {
            _filled.Writer.TryComplete();
            ArrayPool<byte>.Shared.Return(input);
            _decoder.Dispose();
            _raw.Dispose();
        }
    }

    private int ReadRaw(byte[] input, long offset)
    {
        try
        {
            return _raw.Read(input, 0, InputSize);
        }
        catch (IOException ex)
        {
            InputLocation where = _locate(offset);
            throw new DeviceIOException(where.Path, where.Offset, $"cannot read the image: {ex.Message}", ex);
        }
    }

    /// <summary>A chunk given back by the reader, or a new one while fewer than <see cref="ChunkCount"/> exist.</summary>
    private byte[] NextChunk(CancellationToken stop)
    {
        if (_free.Reader.TryRead(out byte[]? buffer))
        {
            return buffer;
        }
        if (_created < ChunkCount)
        {
            Interlocked.Increment(ref _created);
            return new byte[ChunkSize];
        }
        return _free.Reader.ReadAsync(stop).AsTask().GetAwaiter().GetResult();
    }

    private void Publish(Chunk chunk, CancellationToken stop)
    {
        while (!_filled.Writer.TryWrite(chunk))
        {
            if (!_filled.Writer.WaitToWriteAsync(stop).AsTask().GetAwaiter().GetResult())
            {
                throw new OperationCanceledException(stop);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_stop.IsCancellationRequested)
        {
            // The thread ends at its next wait for the reader and then releases the input and the decoder; a thread
            // blocked in a read of standard input ends with the process (it is a background thread).
            _stop.Cancel();
            _ended = true;
        }
        base.Dispose(disposing);
    }

    /// <summary>Decompressed bytes, or the error that ended decoding.</summary>
    private readonly record struct Chunk(byte[]? Buffer, int Count, Exception? Error);

    /// <summary>The error for damaged data at compressed offset <paramref name="offset"/>: the file (the piece) and the
    /// offset in it.</summary>
    internal static ImageFormatException Damaged(ICompressedDecoder decoder, Func<long, InputLocation> locate, long offset, string detail)
    {
        InputLocation where = locate(offset);
        return new ImageFormatException(where.Path, $"{decoder.Name} data", where.Offset, detail);
    }
}
