using System.Buffers.Binary;

namespace ForensicPipe.Formats.Input;

/// <summary>A compression wrapper recognised by its magic bytes (docs/formats/compression-and-split.md: Clonezilla stores
/// images gzip-, zstd-, xz-, lz4- or bzip2-compressed and may split them as <c>.aa</c>, <c>.ab</c>, …), and the command
/// that decompresses it to a file.</summary>
internal sealed class CompressedInput
{
    /// <summary>zstd and lz4 skippable frames: a little-endian magic 0x184D2A50…0x184D2A5F, then a 4-byte
    /// little-endian length of the bytes that follow.</summary>
    private const uint SkippableMagic = 0x184D2A50;
    private const uint SkippableMagicMask = 0xFFFFFFF0;
    private const int SkippableHeaderSize = 8;

    private static readonly CompressedInput[] s_known =
    [
        new(ImageCompression.Gzip, [0x1F, 0x8B], ".gz", "gunzip -k", "gzip -dc"),
        new(ImageCompression.Bzip2, "BZh"u8.ToArray(), ".bz2", "bunzip2 -k", "bzip2 -dc"),
        new(ImageCompression.Zstd, [0x28, 0xB5, 0x2F, 0xFD], ".zst", "zstd -d -k", "zstd -dc"),
        new(ImageCompression.Xz, [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], ".xz", "unxz -k", "xz -dc"),
        new(ImageCompression.Lz4, [0x04, 0x22, 0x4D, 0x18], ".lz4", "lz4 -d", "lz4 -dc"),
    ];

    private readonly byte[] _magic;
    private readonly string _suffix;
    private readonly string _inPlace;
    private readonly string _toStdout;

    private CompressedInput(ImageCompression compression, byte[] magic, string suffix, string inPlace, string toStdout)
    {
        Compression = compression;
        _magic = magic;
        _suffix = suffix;
        _inPlace = inPlace;
        _toStdout = toStdout;
    }

    /// <summary>The compressor.</summary>
    public ImageCompression Compression { get; }

    /// <summary>The compressor's name.</summary>
    public string Name => DecoderFactory.Name(Compression);

    /// <summary>The wrapper <paramref name="head"/> starts with, or null. Skippable frames first are zstd's unless an lz4
    /// frame follows them within <paramref name="head"/>.</summary>
    public static CompressedInput? Detect(ReadOnlySpan<byte> head)
    {
        int skipped = 0;
        while (head.Length - skipped >= SkippableHeaderSize
            && (BinaryPrimitives.ReadUInt32LittleEndian(head[skipped..]) & SkippableMagicMask) == SkippableMagic)
        {
            long next = skipped + SkippableHeaderSize + (long)BinaryPrimitives.ReadUInt32LittleEndian(head[(skipped + 4)..]);
            if (next >= head.Length)
            {
                return Find(ImageCompression.Zstd);
            }
            skipped = (int)next;
        }
        if (skipped > 0)
        {
            return Find(head[skipped..].StartsWith(Find(ImageCompression.Lz4)._magic) ? ImageCompression.Lz4 : ImageCompression.Zstd);
        }
        if (head.Length >= 4 && (BinaryPrimitives.ReadUInt32LittleEndian(head) & SkippableMagicMask) == SkippableMagic)
        {
            return Find(ImageCompression.Zstd);
        }
        foreach (CompressedInput known in s_known)
        {
            // bzip2: "BZh" and the block-size digit 1..9.
            if (head.StartsWith(known._magic)
                && (known.Compression != ImageCompression.Bzip2 || (head.Length > 3 && head[3] is >= (byte)'1' and <= (byte)'9')))
            {
                return known;
            }
        }
        return null;
    }

    private static CompressedInput Find(ImageCompression compression) => s_known.First(known => known.Compression == compression);

    /// <summary>A shell command that writes the decompressed image to a file beside <paramref name="path"/>: for a piece of a
    /// split set, all the pieces in order through the decompressor.</summary>
    public string DecompressCommand(string path)
    {
        SplitSet? set = null;
        try
        {
            set = SplitSet.Find(path);
        }
        catch (Core.Errors.ImageFormatException)
        {
            // A damaged set still gets the command; running it shows the missing piece.
        }
        if (set is not null)
        {
            return $"cat {set.ShellPattern(Quote)} | {_toStdout} > {Quote(WithoutSuffix(set.BasePath))}";
        }
        return path.EndsWith(_suffix, StringComparison.Ordinal)
            ? $"{_inPlace} {Quote(path)}"
            : $"{_toStdout} {Quote(path)} > {Quote(path + ".img")}";
    }

    private string WithoutSuffix(string path) => path.EndsWith(_suffix, StringComparison.Ordinal) ? path[..^_suffix.Length] : path + ".img";

    private static string Quote(string text) => $"'{text.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
