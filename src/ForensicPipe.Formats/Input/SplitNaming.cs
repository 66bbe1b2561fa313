namespace ForensicPipe.Formats.Input;

/// <summary>
/// The suffixes coreutils <c>split</c> gives its pieces (docs/formats/compression-and-split.md): with a fixed length
/// (<c>-a N</c>) every N-letter word from <c>aa…</c> to <c>zz…</c>; with the default length the suffix widens
/// instead of reaching a leading <c>z</c>: <c>aa … yz</c>, then <c>zaaa … zyzz</c>, then <c>zzaaaa</c>, … (a <c>z</c> more
/// before a suffix two letters longer each time).
/// </summary>
internal static class SplitNaming
{
    /// <summary>Whether <paramref name="suffix"/> can be a piece's suffix: two or more letters a–z.</summary>
    public static bool IsSuffix(ReadOnlySpan<char> suffix)
    {
        if (suffix.Length < 2)
        {
            return false;
        }
        foreach (char c in suffix)
        {
            if (c is < 'a' or > 'z')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The suffix after <paramref name="suffix"/> with a fixed length, or null after the last one (<c>zz…</c>).</summary>
    public static string? NextFixed(string suffix)
    {
        char[] letters = suffix.ToCharArray();
        for (int i = letters.Length - 1; i >= 0; i--)
        {
            if (letters[i] != 'z')
            {
                letters[i]++;
                return new string(letters);
            }
            letters[i] = 'a';
        }
        return null;
    }

    /// <summary>The suffix after <paramref name="suffix"/> in the widening sequence of the default length: the letters
    /// after the leading <c>z</c>s count up until the first of them would become <c>z</c>, then one more <c>z</c> leads
    /// a suffix of two more letters.</summary>
    public static string NextWidening(string suffix)
    {
        int prefix = 0;
        while (prefix < suffix.Length && suffix[prefix] == 'z')
        {
            prefix++;
        }
        string? next = NextFixed(suffix[prefix..]);
        if (next is not null && next[0] != 'z')
        {
            return suffix[..prefix] + next;
        }
        return new string('z', prefix + 1) + new string('a', suffix.Length - prefix + 1);
    }

    /// <summary>Whether <paramref name="suffix"/> belongs to the widening sequence: <c>k</c> leading <c>z</c>s, then
    /// <c>k + 2</c> letters not starting with <c>z</c>.</summary>
    public static bool IsWidening(string suffix)
    {
        int prefix = 0;
        while (prefix < suffix.Length && suffix[prefix] == 'z')
        {
            prefix++;
        }
        return suffix.Length - prefix == prefix + 2;
    }

    /// <summary>Suffixes of the first piece a set holding <paramref name="suffix"/> can start with: <c>aa</c> for the
    /// default (widening) length, and N × <c>a</c> for a fixed length N.</summary>
    public static IEnumerable<string> FirstSuffixes(string suffix)
    {
        if (suffix.Length == 2 || IsWidening(suffix))
        {
            yield return "aa";
        }
        if (suffix.Length != 2)
        {
            yield return new string('a', suffix.Length);
        }
    }
}
