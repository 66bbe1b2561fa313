namespace ForensicPipe.Core.Extents;

/// <summary>
/// The bytes an <see cref="ExtentKind.Absent"/> or <see cref="ExtentKind.Unreadable"/> extent stands for
/// when no fill stage materialised it: zeros, which is what a raw output holds there (written zeros or a
/// hole). Hashers and sinks use this one shared block instead of allocating.
/// </summary>
public static class ZeroBytes
{
    /// <summary>A read-only run of zeros, 1 MiB long.</summary>
    public static ReadOnlyMemory<byte> Block { get; } = new byte[1 << 20];

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
}
