using System.Buffers;

namespace ForensicPipe.Core.Buffers;

/// <summary>
/// A fixed-size block of aligned native memory owned by a <see cref="BufferPool"/>, shared by
/// reference count: every consumer that keeps it calls <see cref="Retain"/>, every consumer that is done
/// calls <see cref="Release"/>, and the last release returns it to the pool. Aligned to at least
/// <see cref="BufferPool.Alignment"/> (4096) so that it can be the target of an <c>O_DIRECT</c> read.
/// </summary>
public sealed unsafe class PooledBuffer : MemoryManager<byte>
{
    private readonly BufferPool _pool;
    private readonly BufferSlab _slab;
    private readonly byte* _pointer;
    private int _references;
    private int _freed;

    internal PooledBuffer(BufferPool pool, BufferSlab slab, byte* pointer, int size)
    {
        _pool = pool;
        _slab = slab;
        _pointer = pointer;
        Size = size;
    }

    /// <summary>Capacity in bytes.</summary>
    public int Size { get; }

    /// <summary>The whole buffer; callers slice it to the bytes they filled.</summary>
    public Span<byte> Span => new(_pointer, Size);

    /// <summary>Number of holders; 0 while the buffer sits in the pool.</summary>
    public int References => Volatile.Read(ref _references);

    internal void OnRent() => Volatile.Write(ref _references, 1);

    /// <summary>Adds a holder (for a fan-out to another consumer).</summary>
    public void Retain()
    {
        if (Interlocked.Increment(ref _references) <= 1)
        {
            throw new InvalidOperationException("A pooled buffer was retained after it went back to the pool.");
        }
    }

    /// <summary>Drops a holder; the last one returns the buffer to its pool.</summary>
    public void Release()
    {
        int left = Interlocked.Decrement(ref _references);
        if (left == 0)
        {
            _pool.Return(this);
        }
        else if (left < 0)
        {
            throw new InvalidOperationException("A pooled buffer was released more often than it was held.");
        }
    }

    /// <inheritdoc />
    public override Span<byte> GetSpan() => Span;

    /// <inheritdoc />
    public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

    /// <inheritdoc />
    public override void Unpin() { }

    /// <summary>Gives the memory back to its slab, which is freed with its last buffer.</summary>
    internal void Free()
    {
        // A second free would drop another buffer's hold on the shared slab and unmap it under that buffer.
        if (Interlocked.Exchange(ref _freed, 1) != 0)
        {
            throw new InvalidOperationException("A pooled buffer was freed twice.");
        }
        _slab.ReleaseBuffer();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        // Lifetime is the pool's: BufferPool.Dispose frees the memory.
    }
}
