namespace ForensicPipe.Formats.Input;

/// <summary>The rule the one-pass image readers (partclone, partimage, ntfsclone) share: <c>ReadAsync</c> once, and
/// only after <c>OpenAsync</c> succeeded.</summary>
internal static class OnePassReader
{
    /// <summary>Moves <paramref name="state"/> from <paramref name="open"/> to <paramref name="reading"/>, or throws
    /// <see cref="InvalidOperationException"/>: read already, or not open.</summary>
    public static void BeginRead(ref int state, int open, int reading)
    {
        int seen = Interlocked.CompareExchange(ref state, reading, open);
        if (seen != open)
        {
            throw new InvalidOperationException(seen == reading
                ? "ReadAsync can be called only once."
                : "The image is not open: OpenAsync must succeed first.");
        }
    }
}
