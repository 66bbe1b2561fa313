using System.Collections.Concurrent;

namespace ForensicPipe.Core.Buffers;

/// <summary>
/// Pool of equally sized, aligned native buffers for one job. Buffers are handed out with one reference
/// and come back when their last holder releases them (<see cref="PooledBuffer.Release"/>). The
/// pipeline's bounded blocks limit how many are out at once, so the pool never grows with the input.
/// <see cref="Outstanding"/> lets tests assert that every buffer came back, also after a fault.
/// </summary>
public sealed class BufferPool : IDisposable
{
    /// <summary>Default buffer size: 1 MiB, large enough that per-message costs vanish next to hashing.</summary>
    public const int DefaultBufferSize = 1 << 20;

    /// <summary>Alignment of every buffer: the largest logical sector size in use (4096).</summary>
    public const int Alignment = 4096;

    private readonly ConcurrentStack<PooledBuffer> _free = new();
    private int _outstanding;
    private int _created;
    private int _disposed;

    /// <summary>Creates a pool of buffers of <paramref name="bufferSize"/> bytes.</summary>
    public BufferPool(int bufferSize = DefaultBufferSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1);
        BufferSize = bufferSize;
    }

    /// <summary>Size of every buffer.</summary>
    public int BufferSize { get; }

    /// <summary>Buffers rented and not yet returned.</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>Buffers allocated over the pool's life (its high-water mark).</summary>
    public int Created => Volatile.Read(ref _created);

    /// <summary>Rents a buffer holding one reference. Its contents are whatever the last user left:
    /// callers expose only the bytes they wrote (<see cref="Extents.Extent"/> slices to its length).</summary>
    public PooledBuffer Rent()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!_free.TryPop(out PooledBuffer? buffer))
        {
            buffer = new PooledBuffer(this, BufferSize, Alignment);
            Interlocked.Increment(ref _created);
        }
        buffer.OnRent();
        Interlocked.Increment(ref _outstanding);
        return buffer;
    }

    internal void Return(PooledBuffer buffer)
    {
        Interlocked.Decrement(ref _outstanding);
        _free.Push(buffer);
        // Push is a full fence, as is the exchange in Dispose: either this read sees the pool disposed, or
        // Dispose's drain sees this buffer. Both drain by popping, so each buffer is freed once.
        if (Volatile.Read(ref _disposed) != 0)
        {
            FreeIdleBuffers();
        }
    }

    /// <summary>Frees the pooled memory. Buffers still out are freed when they come back.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        FreeIdleBuffers();
    }

    private void FreeIdleBuffers()
    {
        while (_free.TryPop(out PooledBuffer? buffer))
        {
            buffer.Free();
        }
    }
}
