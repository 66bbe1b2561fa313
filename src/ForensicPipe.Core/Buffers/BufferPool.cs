using System.Collections.Concurrent;

namespace ForensicPipe.Core.Buffers;

/// <summary>
/// Pool of equally sized, aligned native buffers for one job. Buffers are handed out with one reference
/// and come back when their last holder releases them (<see cref="PooledBuffer.Release"/>). The
/// pipeline's bounded blocks limit how many are out at once, so the pool never grows with the input.
/// <see cref="Outstanding"/> lets tests assert that every buffer came back, also after a fault.
/// </summary>
/// <remarks>
/// Buffers are cut from slabs, lazily, one slab at a time. On Linux a size that divides 2 MiB (4 KiB to
/// 2 MiB) shares one 2 MiB-aligned 2 MiB slab with its neighbours, and a multiple of 2 MiB is a slab of its
/// own; both are advised for transparent huge pages (<see cref="HugePageMemory"/>), because O_DIRECT pins
/// every page of a buffer per transfer. Any other size, and every size elsewhere, is a plain
/// 4096-aligned allocation per buffer.
/// </remarks>
public sealed class BufferPool : IDisposable
{
    /// <summary>Default buffer size: 1 MiB, large enough that per-message costs vanish next to hashing.</summary>
    public const int DefaultBufferSize = 1 << 20;

    /// <summary>Alignment of every buffer: the largest logical sector size in use (4096).</summary>
    public const int Alignment = 4096;

    private readonly ConcurrentStack<PooledBuffer> _free = new();
    private readonly Lock _carveLock = new();
    private readonly int _buffersPerSlab;
    private readonly bool _hugePages;
    private BufferSlab? _current;
    private int _outstanding;
    private int _created;
    private int _liveSlabs;
    private int _disposed;

    /// <summary>Creates a pool of buffers of <paramref name="bufferSize"/> bytes.</summary>
    public BufferPool(int bufferSize = DefaultBufferSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1);
        BufferSize = bufferSize;
        (_buffersPerSlab, _hugePages) = SlabLayout(bufferSize);
    }

    /// <summary>Size of every buffer.</summary>
    public int BufferSize { get; }

    /// <summary>Buffers rented and not yet returned.</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>Buffers handed out for the first time over the pool's life (its high-water mark).</summary>
    public int Created => Volatile.Read(ref _created);

    /// <summary>Slabs whose memory is not yet freed; 0 once the pool is disposed and every buffer is back.</summary>
    internal int LiveSlabs => Volatile.Read(ref _liveSlabs);

    /// <summary>Rents a buffer holding one reference. Its contents are whatever the last user left:
    /// callers expose only the bytes they wrote (<see cref="Extents.Extent"/> slices to its length).</summary>
    public PooledBuffer Rent()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!_free.TryPop(out PooledBuffer? buffer))
        {
            buffer = Carve();
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

    internal void OnSlabFreed() => Interlocked.Decrement(ref _liveSlabs);

    /// <summary>Frees the pooled memory. Buffers still out are freed when they come back.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        lock (_carveLock)
        {
            _current?.ReleasePoolHold();
            _current = null;
        }
        FreeIdleBuffers();
    }

    private PooledBuffer Carve()
    {
        lock (_carveLock)
        {
            // Checked again under the lock: Dispose may have released the current slab since Rent's check.
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (_current is null)
            {
                _current = new BufferSlab(this, BufferSize, _buffersPerSlab, _hugePages);
                Interlocked.Increment(ref _liveSlabs);
            }
            PooledBuffer buffer = _current.Carve();
            if (_current.IsFull)
            {
                _current.ReleasePoolHold();
                _current = null;
            }
            Interlocked.Increment(ref _created);
            return buffer;
        }
    }

    private void FreeIdleBuffers()
    {
        while (_free.TryPop(out PooledBuffer? buffer))
        {
            buffer.Free();
        }
    }

    private static (int BuffersPerSlab, bool HugePages) SlabLayout(int bufferSize)
    {
        if (!OperatingSystem.IsLinux())
        {
            return (1, false);
        }
        // Sizes below 4096 divide 2 MiB too, but their neighbours would start off the O_DIRECT alignment.
        if (bufferSize % Alignment == 0 && HugePageMemory.PageSize % bufferSize == 0)
        {
            return (HugePageMemory.PageSize / bufferSize, true);
        }
        if (bufferSize % HugePageMemory.PageSize == 0)
        {
            return (1, true);
        }
        return (1, false);
    }
}
