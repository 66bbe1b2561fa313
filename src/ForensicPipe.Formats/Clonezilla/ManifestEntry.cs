namespace ForensicPipe.Formats.Clonezilla;

/// <summary>The check of one file against one manifest line.</summary>
/// <param name="Manifest">The manifest (<c>MD5SUMS</c>).</param>
/// <param name="Line">1-based line in the manifest.</param>
/// <param name="File">The file the line names.</param>
/// <param name="Expected">The digest the line gives (lower-case hex).</param>
/// <param name="Actual">The digest computed, or null when the file is missing.</param>
public sealed record ManifestEntry(string Manifest, int Line, string File, string Expected, string? Actual)
{
    /// <summary>Whether the file exists and its digest matches.</summary>
    public bool Matches => Actual is not null && string.Equals(Expected, Actual, StringComparison.OrdinalIgnoreCase);

    /// <summary>One line for the terminal.</summary>
    public override string ToString() => Actual is null
        ? $"{Manifest} line {Line}: {File}: MISSING (the manifest lists it; the folder has no such file)"
        : $"{Manifest} line {Line}: {File}: {(Matches ? "OK" : $"MISMATCH over the whole file (bytes 0..{new FileInfo(File).Length}): expected {Expected}, computed {Actual}")}";
}
