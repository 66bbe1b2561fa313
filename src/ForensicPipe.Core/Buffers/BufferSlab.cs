using System.Runtime.InteropServices;

namespace ForensicPipe.Core.Buffers;

/// <summary>
/// One block of native memory that a <see cref="BufferPool"/> cuts into equal buffers, one at a time
/// (<see cref="Carve"/>). The block is freed when nothing holds it any more: the pool holds it while more
/// buffers may be cut from it, and every buffer cut from it holds it until the buffer is freed.
/// </summary>
internal sealed unsafe class BufferSlab
{
    private readonly BufferPool _pool;
    private readonly byte* _memory;
    private readonly nuint _length;
    private readonly bool _hugePages;
    private readonly int _bufferSize;
    private readonly int _slots;
    private int _carved;
    private int _holds;

    /// <summary>Allocates a slab of <paramref name="slots"/> buffers of <paramref name="bufferSize"/> bytes,
    /// held by the pool until <see cref="ReleasePoolHold"/>.</summary>
    public BufferSlab(BufferPool pool, int bufferSize, int slots, bool hugePages)
    {
        _pool = pool;
        _bufferSize = bufferSize;
        _slots = slots;
        _length = (nuint)bufferSize * (nuint)slots;
        _hugePages = hugePages;
        _memory = hugePages && OperatingSystem.IsLinux()
            ? HugePageMemory.Allocate(_length)
            : (byte*)NativeMemory.AlignedAlloc(_length, BufferPool.Alignment);
        _holds = 1;
    }

    /// <summary>Whether every slot has been cut.</summary>
    public bool IsFull => _carved == _slots;

    /// <summary>Cuts the next free slot. The pool serialises calls and never calls it on a full slab or
    /// after <see cref="ReleasePoolHold"/>.</summary>
    public PooledBuffer Carve()
    {
        byte* pointer = _memory + ((nuint)_carved * (nuint)_bufferSize);
        _carved++;
        Interlocked.Increment(ref _holds);
        return new PooledBuffer(_pool, this, pointer, _bufferSize);
    }

    /// <summary>The pool will cut no more buffers from this slab (it is full, or the pool is disposed).</summary>
    public void ReleasePoolHold() => Release();

    /// <summary>A buffer cut from this slab has been freed.</summary>
    public void ReleaseBuffer() => Release();

    private void Release()
    {
        int left = Interlocked.Decrement(ref _holds);
        if (left > 0)
        {
            return;
        }
        if (left < 0)
        {
            throw new InvalidOperationException("A buffer slab was released more often than it was held.");
        }
        if (_hugePages && OperatingSystem.IsLinux())
        {
            HugePageMemory.Free(_memory, _length);
        }
        else
        {
            NativeMemory.AlignedFree(_memory);
        }
        _pool.OnSlabFreed();
    }
}
