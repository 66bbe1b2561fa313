using System.Text.RegularExpressions;

namespace ForensicPipe.Formats.Input;

/// <summary>A compression wrapper recognised by its magic bytes (docs/formats/README.md, "Compression wrappers":
/// Clonezilla stores images gzip-, zstd-, xz-, lz4- or bzip2-compressed and split as <c>.aa</c>, <c>.ab</c>, …), and
/// the command that decompresses it to a file.</summary>
internal sealed partial class CompressedInput
{
    private static readonly CompressedInput[] s_known =
    [
        new("gzip", [0x1F, 0x8B], ".gz", "gunzip -k", "gzip -dc"),
        new("bzip2", "BZh"u8.ToArray(), ".bz2", "bunzip2 -k", "bzip2 -dc"),
        new("zstd", [0x28, 0xB5, 0x2F, 0xFD], ".zst", "zstd -d -k", "zstd -dc"),
        new("xz", [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], ".xz", "unxz -k", "xz -dc"),
        new("lz4", [0x04, 0x22, 0x4D, 0x18], ".lz4", "lz4 -d", "lz4 -dc"),
    ];

    private readonly byte[] _magic;
    private readonly string _suffix;
    private readonly string _inPlace;
    private readonly string _toStdout;

    private CompressedInput(string name, byte[] magic, string suffix, string inPlace, string toStdout)
    {
        Name = name;
        _magic = magic;
        _suffix = suffix;
        _inPlace = inPlace;
        _toStdout = toStdout;
    }

    /// <summary>The compressor's name.</summary>
    public string Name { get; }

    /// <summary>The wrapper <paramref name="head"/> starts with, or null.</summary>
    public static CompressedInput? Detect(ReadOnlySpan<byte> head)
    {
        foreach (CompressedInput known in s_known)
        {
            // bzip2: "BZh" and the block-size digit 1..9.
            if (head.StartsWith(known._magic) && (known.Name != "bzip2" || (head.Length > 3 && head[3] is >= (byte)'1' and <= (byte)'9')))
            {
                return known;
            }
        }
        return null;
    }

    /// <summary>A shell command that writes the decompressed image to a file beside <paramref name="path"/>.</summary>
    public string DecompressCommand(string path)
    {
        Match split = SplitPiece().Match(path);
        if (split.Success)
        {
            string set = path[..split.Index];
            return $"cat {Quote(set)}.a? | {_toStdout} > {Quote(WithoutSuffix(set))}";
        }
        return path.EndsWith(_suffix, StringComparison.Ordinal)
            ? $"{_inPlace} {Quote(path)}"
            : $"{_toStdout} {Quote(path)} > {Quote(path + ".img")}";
    }

    private string WithoutSuffix(string path) => path.EndsWith(_suffix, StringComparison.Ordinal) ? path[..^_suffix.Length] : path + ".img";

    private static string Quote(string text) => $"'{text.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    /// <summary>A piece of a split set as <c>split</c> names them: <c>.aa</c>, <c>.ab</c>, …</summary>
    [GeneratedRegex(@"\.a[a-z]$")]
    private static partial Regex SplitPiece();
}
