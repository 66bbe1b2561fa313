namespace ForensicPipe.Core.Extents;

/// <summary>
/// The bytes an <see cref="ExtentKind.Absent"/> or <see cref="ExtentKind.Unreadable"/> extent stands for
/// when no fill stage materialised it: zeros, which is what a raw output holds there (written zeros or a
/// hole). Hashers and sinks use this one shared block instead of allocating.
/// </summary>
public static class ZeroBytes
{
    private const int Size = 1 << 20;

    /// <summary>A read-only run of zeros, 1 MiB long, at a 4096-aligned address so that it can be
    /// written with direct I/O (a pinned array cut at the first aligned byte).</summary>
    public static ReadOnlyMemory<byte> Block { get; } = CreateAlignedBlock();

    /// <summary>Calls <paramref name="action"/> with consecutive zero chunks covering <paramref name="length"/> bytes.</summary>
    public static void ForEachChunk<TState>(long length, TState state, Action<TState, ReadOnlySpan<byte>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        while (length > 0)
        {
            int chunk = (int)Math.Min(length, Block.Length);
            action(state, Block.Span[..chunk]);
            length -= chunk;
        }
    }

    private static unsafe ReadOnlyMemory<byte> CreateAlignedBlock()
    {
        byte[] pinned = GC.AllocateArray<byte>(Size + IO.DirectIo.Alignment, pinned: true);
        fixed (byte* start = pinned)
        {
            int skip = (int)((IO.DirectIo.Alignment - (nuint)start % IO.DirectIo.Alignment) % IO.DirectIo.Alignment);
            return pinned.AsMemory(skip, Size);
        }
    }
}
