using System.Globalization;

namespace ForensicPipe.Core.Stages.Fill;

/// <summary>
/// A repeating byte pattern of 1–16 bytes, anchored at partition offset 0: the byte at offset <c>o</c> is
/// <c>Bytes[o % Length]</c>, so a filled range reads the same whichever extent boundaries it had.
/// </summary>
public sealed class FillPattern
{
    /// <summary>Longest pattern accepted.</summary>
    public const int MaxLength = 16;

    private FillPattern(string name, byte[] bytes)
    {
        Name = name;
        Bytes = bytes;
    }

    /// <summary>0xdeadbeef repeated (big-endian byte order: DE AD BE EF), as imagebackup fills the blocks an image
    /// does not contain (docs/architecture.md, "Prior art the behaviour follows").</summary>
    public static FillPattern DeadBeef { get; } = new("deadbeef", [0xDE, 0xAD, 0xBE, 0xEF]);

    /// <summary>Zeros.</summary>
    public static FillPattern Zero { get; } = new("zero", [0]);

    /// <summary>How the job named it (<c>deadbeef</c>, <c>zero</c>, or hex digits).</summary>
    public string Name { get; }

    /// <summary>The repeating bytes.</summary>
    public IReadOnlyList<byte> Bytes { get; }

    /// <summary>Parses <c>deadbeef</c>, <c>zero</c>, or 2–32 hex digits (1–16 bytes, optional <c>0x</c>).
    /// Returns null and a reason when the text is none of these.</summary>
    public static FillPattern? TryParse(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = null;
        switch (text)
        {
            case "deadbeef":
                return DeadBeef;
            case "zero":
            case "zeros":
                return Zero;
        }
        string hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (hex.Length == 0 || hex.Length % 2 != 0 || hex.Length > 2 * MaxLength
            || !hex.All(char.IsAsciiHexDigit))
        {
            error = $"'{text}' is not deadbeef, zero, or 1 to {MaxLength} bytes of hex";
            return null;
        }
        byte[] bytes = Convert.FromHexString(hex);
        return new FillPattern(hex.ToLower(CultureInfo.InvariantCulture), bytes);
    }

    /// <summary>Writes the pattern as it stands at partition offset <paramref name="offset"/> into
    /// <paramref name="destination"/>: byte <c>i</c> becomes <c>Bytes[(offset + i) % Length]</c>. For readers
    /// that serve absent blocks at random offsets (a mounted image).</summary>
    public void WriteAt(long offset, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (Bytes.Count == 1)
        {
            destination.Fill(Bytes[0]);
            return;
        }
        int length = Bytes.Count;
        int phase = (int)(offset % length);
        for (int i = 0; i < destination.Length && i < length; i++)
        {
            destination[i] = Bytes[(phase + i) % length];
        }
        // Doubling copies of the first period: one pass over the destination.
        for (int done = Math.Min(length, destination.Length); done < destination.Length; done *= 2)
        {
            destination[..Math.Min(done, destination.Length - done)].CopyTo(destination[done..]);
        }
    }

    /// <summary>Writes the pattern as it stands at partition offset <paramref name="offset"/> into
    /// <paramref name="destination"/>, from a tile at least one pattern longer than the destination.</summary>
    internal static void Fill(ReadOnlySpan<byte> tile, int patternLength, long offset, Span<byte> destination)
    {
        int phase = (int)(offset % patternLength);
        tile.Slice(phase, destination.Length).CopyTo(destination);
    }

    /// <summary>The pattern repeated to cover <paramref name="length"/> bytes plus one more pattern, so
    /// any phase can be cut from it with one copy.</summary>
    internal byte[] CreateTile(int length)
    {
        var tile = new byte[length + Bytes.Count];
        for (int i = 0; i < tile.Length; i++)
        {
            tile[i] = Bytes[i % Bytes.Count];
        }
        return tile;
    }
}
