using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using ForensicPipe.Core.Errors;

namespace ForensicPipe.Formats.Input;

/// <summary>
/// The decompressed bytes of a raw input, decoded on a thread of their own so that decompression overlaps the reader
/// that consumes them. The decoder thread fills chunks of <see cref="ChunkSize"/> bytes and hands them over through a
/// bounded queue; the reader gives each back when it has copied it out. At most <see cref="ChunkCount"/> chunks exist,
/// so memory stays the same whatever the size of the input. The first chunk is decoded by the reader itself, on its
/// first read: an input whose decompressed bytes fit in one chunk (a small image, a partition table, most fuzz inputs)
/// never starts a thread, which costs more than decoding it. Damaged or truncated data ends the stream with an
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
    private readonly bool _decodeOnReaderThread = DecodeOnReaderThread;

    // The decoder's position in the raw input: used by the reader during the first chunk, then by the thread only
    // (starting the thread orders the two).
    private readonly byte[] _input = ArrayPool<byte>.Shared.Rent(InputSize);
    private int _inputStart;
    private int _inputEnd;
    private bool _inputEnded;
    private long _consumed;

    private Phase _phase;
    private byte[]? _firstChunk;
    private Exception? _firstChunkError;
    private Chunk _current;
    private int _currentPosition;
    private ExceptionDispatchInfo? _failure;
    private bool _ended;
    private int _created;

    /// <summary>Decodes <paramref name="raw"/> with <paramref name="decoder"/> from the first read on;
    /// <paramref name="locate"/> names the file and offset of a compressed byte offset for error messages.</summary>
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
    }

    /// <summary>Where decoding stands.</summary>
    private enum Phase
    {
        /// <summary>Nothing decoded yet: the next read decodes the first chunk.</summary>
        FirstChunk,

        /// <summary>The input ended (or failed) within the first chunk: no thread, the raw input is released.</summary>
        DecodedInline,

        /// <summary>With <see cref="DecodeOnReaderThread"/>: the reader decodes each next chunk into the first one.</summary>
        ReaderDecodes,

        /// <summary>The decoder thread fills the chunks after the first.</summary>
        Threaded,
    }

    /// <summary>Decompressed bytes per chunk.</summary>
    public int ChunkSize { get; }

    /// <summary>The most chunks that ever exist.</summary>
    public int ChunkCount { get; }

    /// <summary>Chunks allocated so far: never more than <see cref="ChunkCount"/>.</summary>
    public int ChunksCreated => Volatile.Read(ref _created);

    /// <summary>Compressed bytes the decoder has consumed so far.</summary>
    public long CompressedBytes => Interlocked.Read(ref _consumed);

    /// <summary>Whether a decoder thread was started (the input did not end within the first chunk).</summary>
    public bool StartedThread => _phase == Phase.Threaded;

    /// <summary>
    /// For the fuzz harness only: in streams created while it is set, every chunk is decoded by the reader when it
    /// needs it, and no thread starts. A coverage-guided fuzzer records which branches an input takes in one shared
    /// map, and a decoder thread running instrumented code at the same time as the reader makes that record depend on
    /// how the two interleave (docs/fuzzing.md, "Stability"). The decoding itself is the same code either way.
    /// </summary>
    internal static bool DecodeOnReaderThread { get; set; }

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            if (TryCopy(buffer, out int copied))
            {
                return copied;
            }
            if (_phase != Phase.Threaded)
            {
                NextWithoutThread();
                continue;
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
            if (_phase != Phase.Threaded)
            {
                NextWithoutThread();
                continue;
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
            if (_phase == Phase.Threaded)
            {
                // Given back at once: the writer side of the free list never waits.
                _free.Writer.TryWrite(_current.Buffer);
            }
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

    /// <summary>Without a thread: decodes the next chunk here (the first; every one with
    /// <see cref="DecodeOnReaderThread"/>), and starts the thread when the input goes on past the first. After an input
    /// that ended: the error that ended it, or the end of the stream.</summary>
    private void NextWithoutThread()
    {
        if (_phase == Phase.DecodedInline)
        {
            if (_firstChunkError is not null)
            {
                _failure = ExceptionDispatchInfo.Capture(_firstChunkError);
                _failure.Throw();
            }
            _ended = true;
            return;
        }
        if (_firstChunk is null)
        {
            _firstChunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
            _created = 1;
        }
        Filling first = Fill(_firstChunk);
        if (first.Filled > 0)
        {
            _current = new Chunk(_firstChunk, first.Filled, null);
            _currentPosition = 0;
        }
        if (first.Ended)
        {
            _phase = Phase.DecodedInline;
            _firstChunkError = first.Error;
            ReleaseInput();
            return;
        }
        if (_decodeOnReaderThread)
        {
            _phase = Phase.ReaderDecodes;
            return;
        }
        // The first chunk is full and the input goes on. The chunk joins the thread's chunks once it is read.
        _phase = Phase.Threaded;
        _firstChunk = null;
        new Thread(Run) { IsBackground = true, Name = $"fpipe {_decoder.Name} decoder" }.Start();
    }

    private void Run()
    {
        CancellationToken stop = _stop.Token;
        try
        {
            while (true)
            {
                byte[] chunk = NextChunk(stop);
                Filling filling = Fill(chunk);
                if (filling.Filled > 0)
                {
                    Publish(new Chunk(chunk, filling.Filled, null), stop);
                }
                if (filling.Error is not null)
                {
                    // The reader is owed the bytes decoded before the error (just published), then the error.
                    Publish(new Chunk(null, 0, filling.Error), stop);
                }
                if (filling.Ended)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The reader went away; nobody is left to tell.
        }
        finally
        {
            _filled.Writer.TryComplete();
            ReleaseInput();
        }
    }

    /// <summary>Decodes into the first <see cref="ChunkSize"/> bytes of <paramref name="chunk"/> until they are full,
    /// the input ends, or decoding fails (then with the bytes decoded before the failure).</summary>
    private Filling Fill(byte[] chunk)
    {
        Span<byte> room = chunk.AsSpan(0, ChunkSize);
        int filled = 0;
        try
        {
            while (true)
            {
                if (_inputStart == _inputEnd && !_inputEnded)
                {
                    _inputStart = 0;
                    _inputEnd = ReadRaw();
                    _inputEnded = _inputEnd == 0;
                }
                OperationStatus status;
                int consumed, written;
                try
                {
                    status = _decoder.Decode(_input.AsSpan(_inputStart, _inputEnd - _inputStart), room[filled..], _inputEnded, out consumed, out written);
                }
                catch (CompressedDataException ex)
                {
                    throw Damaged(_decoder, _locate, _consumed + ex.Consumed, ex.Message);
                }
                _inputStart += consumed;
                Interlocked.Exchange(ref _consumed, _consumed + consumed);
                filled += written;
                if (status == OperationStatus.Done)
                {
                    return new Filling(filled, Ended: true, null);
                }
                if (filled == room.Length)
                {
                    return new Filling(filled, Ended: false, null);
                }
            }
        }
        catch (Exception ex)
        {
            return new Filling(filled, Ended: true, ex);
        }
    }

    private int ReadRaw()
    {
        try
        {
            return _raw.Read(_input, 0, InputSize);
        }
        catch (IOException ex)
        {
            InputLocation where = _locate(_consumed);
            throw new DeviceIOException(where.Path, where.Offset, $"cannot read the image: {ex.Message}", ex);
        }
    }

    /// <summary>Gives back the input buffer and closes the decoder and the raw input: once, by whoever decoded last.</summary>
    private void ReleaseInput()
    {
        ArrayPool<byte>.Shared.Return(_input);
        _decoder.Dispose();
        _raw.Dispose();
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
            // blocked in a read of standard input ends with the process (it is a background thread). Without a
            // thread, the input is released here (unless the first chunk already did) and the first chunk goes back.
            _stop.Cancel();
            _ended = true;
            if (_phase is Phase.FirstChunk or Phase.ReaderDecodes)
            {
                ReleaseInput();
            }
            if (_firstChunk is not null)
            {
                _current = default;
                ArrayPool<byte>.Shared.Return(_firstChunk);
                _firstChunk = null;
            }
        }
        base.Dispose(disposing);
    }

    /// <summary>Decompressed bytes, or the error that ended decoding.</summary>
    private readonly record struct Chunk(byte[]? Buffer, int Count, Exception? Error);

    /// <summary>What one <see cref="Fill"/> decoded: bytes, whether the input ended (or failed), the failure.</summary>
    private readonly record struct Filling(int Filled, bool Ended, Exception? Error);

    /// <summary>The error for damaged data at compressed offset <paramref name="offset"/>: the file (the piece) and the
    /// offset in it.</summary>
    internal static ImageFormatException Damaged(ICompressedDecoder decoder, Func<long, InputLocation> locate, long offset, string detail)
    {
        InputLocation where = locate(offset);
        return new ImageFormatException(where.Path, $"{decoder.Name} data", where.Offset, detail);
    }
}
