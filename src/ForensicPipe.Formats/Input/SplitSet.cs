using ForensicPipe.Core.Errors;

namespace ForensicPipe.Formats.Input;

/// <summary>
/// A file cut into pieces by coreutils <c>split</c>, as Clonezilla stores large images (<c>sda1.ext4-ptcl-img.gz.aa</c>,
/// <c>.ab</c>, …; docs/formats/compression-and-split.md): found from any of its pieces, checked (no piece missing
/// between the first and the last, every piece but the last as long as the first) and read as one stream
/// (<see cref="OpenStream"/>) or located (<see cref="Locate"/>).
/// </summary>
internal sealed class SplitSet
{
    private readonly SplitPiece[] _pieces;

    private SplitSet(string basePath, SplitPiece[] pieces, bool widening)
    {
        BasePath = basePath;
        _pieces = pieces;
        IsWidening = widening;
    }

    /// <summary>The path of the pieces without their <c>.SUFFIX</c>.</summary>
    public string BasePath { get; }

    /// <summary>The pieces in order.</summary>
    public IReadOnlyList<SplitPiece> Pieces => _pieces;

    /// <summary>Bytes in all pieces.</summary>
    public long Length => _pieces[^1].End;

    /// <summary>Whether the suffixes follow split's default, widening sequence (as far as the pieces show).</summary>
    public bool IsWidening { get; }

    /// <summary>
    /// The set <paramref name="path"/> is a piece of, or null when it is not a piece: its name does not end in
    /// <c>.</c> and two or more letters, or no first piece (<c>.aa</c>, <c>.aaa</c>, …) lies beside it whose sequence
    /// holds it. Standard input is never a piece.
    /// </summary>
    /// <exception cref="ImageFormatException">A piece is missing (a gap in the sequence), or one but the last is shorter
    /// or the last longer than the first: the message names the piece.</exception>
    public static SplitSet? Find(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path == Core.Sources.FileSource.StandardInput)
        {
            return null;
        }
        string name = System.IO.Path.GetFileName(path);
        int dot = name.LastIndexOf('.');
        if (dot <= 0 || !SplitNaming.IsSuffix(name.AsSpan(dot + 1)) || !File.Exists(path))
        {
            return null;
        }
        string suffix = name[(dot + 1)..];
        string basePath = path[..^(suffix.Length + 1)];
        foreach (string first in SplitNaming.FirstSuffixes(suffix))
        {
            if (File.Exists($"{basePath}.{first}"))
            {
                SplitSet? set = Enumerate(basePath, first, suffix);
                if (set is not null)
                {
                    return set;
                }
            }
        }
        return null;
    }

    /// <summary>The piece holding byte <paramref name="offset"/> of the set and the offset in it; the end of the set is
    /// the end of the last piece.</summary>
    public InputLocation Locate(long offset)
    {
        int low = 0, high = _pieces.Length - 1;
        while (low < high)
        {
            int middle = (low + high + 1) / 2;
            if (_pieces[middle].Start <= offset)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }
        // An offset at a boundary belongs to the piece that starts there; the end of the set to the last piece.
        SplitPiece piece = _pieces[low];
        return new InputLocation(piece.Path, offset - piece.Start);
    }

    /// <summary>Opens the pieces as one forward-only stream.</summary>
    public SplitSetStream OpenStream() => new(this);

    /// <summary>Shell words that name every piece in order (<c>'BASE'.??</c>, then <c>'BASE'.z???</c> … when the
    /// suffixes widened), for a <c>cat</c> command.</summary>
    public string ShellPattern(Func<string, string> quote)
    {
        int firstLength = SuffixOf(_pieces[0].Path).Length;
        int lastLength = SuffixOf(_pieces[^1].Path).Length;
        var words = new List<string> { $"{quote(BasePath)}.{new string('?', firstLength)}" };
        if (IsWidening)
        {
            for (int prefix = 1; 2 + (2 * prefix) <= lastLength; prefix++)
            {
                words.Add($"{quote(BasePath)}.{new string('z', prefix)}{new string('?', prefix + 2)}");
            }
        }
        return string.Join(' ', words);
    }

    private static string SuffixOf(string path) => path[(path.LastIndexOf('.') + 1)..];

    /// <summary>The pieces from <paramref name="first"/> on; null when <paramref name="given"/> is not among them and no
    /// gap explains why.</summary>
    private static SplitSet? Enumerate(string basePath, string first, string given)
    {
        var suffixes = new List<string> { first };
        bool? widening = first.Length == 2 ? null : false;
        while (true)
        {
            string current = suffixes[^1];
            string? next = widening switch
            {
                false => SplitNaming.NextFixed(current),
                true => SplitNaming.NextWidening(current),
                null => Decide(basePath, current, ref widening),
            };
            if (next is null || !File.Exists($"{basePath}.{next}"))
            {
                break;
            }
            suffixes.Add(next);
        }

        CheckNoGap(basePath, suffixes, widening);
        if (!suffixes.Contains(given, StringComparer.Ordinal))
        {
            return null;
        }

        var pieces = new SplitPiece[suffixes.Count];
        long start = 0;
        for (int i = 0; i < pieces.Length; i++)
        {
            string path = $"{basePath}.{suffixes[i]}";
            long length = new FileInfo(path).Length;
            pieces[i] = new SplitPiece(path, start, length);
            start += length;
        }
        CheckLengths(pieces);
        return new SplitSet(basePath, pieces, widening == true);
    }

    /// <summary>After a two-letter suffix the fixed and widening sequences part at <c>yz</c> (<c>za</c> or
    /// <c>zaaa</c>): the file that exists decides.</summary>
    private static string? Decide(string basePath, string current, ref bool? widening)
    {
        string? fixedNext = SplitNaming.NextFixed(current);
        string wideNext = SplitNaming.NextWidening(current);
        if (fixedNext == wideNext)
        {
            return fixedNext;
        }
        if (fixedNext is not null && File.Exists($"{basePath}.{fixedNext}"))
        {
            widening = false;
            return fixedNext;
        }
        widening = true;
        return wideNext;
    }

    /// <summary>Refuses a set with a piece missing: a file beside the pieces whose suffix belongs to the same sequence
    /// but that the sequence did not reach.</summary>
    private static void CheckNoGap(string basePath, List<string> suffixes, bool? widening)
    {
        string directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(basePath))!;
        string prefix = System.IO.Path.GetFileName(basePath) + ".";
        var found = new HashSet<string>(suffixes, StringComparer.Ordinal);
        int length = suffixes[0].Length;
        string? stray = null;
        foreach (string file in Directory.EnumerateFiles(directory))
        {
            string name = System.IO.Path.GetFileName(file);
            if (!name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }
            string suffix = name[prefix.Length..];
            bool sameSequence = SplitNaming.IsSuffix(suffix) && widening switch
            {
                false => suffix.Length == length,
                true => SplitNaming.IsWidening(suffix),
                null => suffix.Length == 2 || SplitNaming.IsWidening(suffix),
            };
            if (sameSequence && !found.Contains(suffix) && (stray is null || string.CompareOrdinal(suffix, stray) < 0))
            {
                stray = suffix;
            }
        }
        if (stray is not null)
        {
            string last = suffixes[^1];
            string missing = widening == true ? SplitNaming.NextWidening(last) : SplitNaming.NextFixed(last) ?? SplitNaming.NextWidening(last);
            throw new ImageFormatException($"{basePath}.{missing}", "split piece", 0,
                $"missing from the split set: {prefix}{last} is followed by {prefix}{stray}; bring back every piece in between");
        }
    }

    /// <summary><c>split -b</c> writes every piece at the same size but the last, which may be shorter.</summary>
    private static void CheckLengths(SplitPiece[] pieces)
    {
        long size = pieces.Length == 1 ? pieces[0].Length : pieces[..^1].Max(piece => piece.Length);
        for (int i = 0; i < pieces.Length; i++)
        {
            SplitPiece piece = pieces[i];
            bool last = i == pieces.Length - 1;
            if (piece.Length < size && !last)
            {
                throw new ImageFormatException(piece.Path, "split piece", piece.Length,
                    $"the piece ends after {piece.Length} bytes where the other pieces have {size}: it is truncated (split cuts every piece but the last at the same size)");
            }
            if (piece.Length > size)
            {
                throw new ImageFormatException(piece.Path, "split piece", size,
                    $"the last piece is {piece.Length} bytes, longer than the other pieces ({size}): it does not belong to this split set");
            }
            if (last && piece.Length == 0)
            {
                throw new ImageFormatException(piece.Path, "split piece", 0, "the last piece is empty (split never writes an empty piece)");
            }
        }
    }
}
