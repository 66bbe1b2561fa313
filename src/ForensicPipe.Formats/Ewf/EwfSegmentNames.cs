namespace ForensicPipe.Formats.Ewf;

/// <summary>Segment file names of a set: <c>NAME.E01</c> … <c>NAME.E99</c>, then <c>NAME.EAA</c> … <c>NAME.EAZ</c>,
/// <c>NAME.EBA</c> … <c>NAME.EZZ</c>, <c>NAME.FAA</c> … <c>NAME.ZZZ</c> (docs/formats/e01.md). The case of the
/// first file's extension is kept.</summary>
internal static class EwfSegmentNames
{
    /// <summary>The extension (without the dot) of segment <paramref name="number"/> (1-based).</summary>
    public static string Extension(int number, bool upperCase = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, EwfFormat.MaxSegments);
        string extension;
        if (number <= 99)
        {
            extension = $"E{number:D2}";
        }
        else
        {
            int index = number - 100;
            char first = (char)('E' + (index / (26 * 26)));
            char second = (char)('A' + (index / 26 % 26));
            char third = (char)('A' + (index % 26));
            extension = $"{first}{second}{third}";
        }
        return upperCase ? extension : extension.ToLowerInvariant();
    }

    /// <summary>The path of segment <paramref name="number"/> of the set whose first file is <paramref name="firstPath"/>.</summary>
    public static string PathOf(string firstPath, int number)
    {
        string extension = System.IO.Path.GetExtension(firstPath);
        bool upper = extension.Length < 2 || char.IsUpper(extension[1]);
        return firstPath[..^(extension.Length - 1)] + Extension(number, upper);
    }
}
