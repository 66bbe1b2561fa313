namespace ForensicPipe.TestSupport;

/// <summary>The fixture scripts under tests/fixtures (docs/testing.md, "Corpus B: tests/fixtures/mkcorpus.sh" and
/// "partimage fixtures: tests/fixtures/mkpartimage.sh"), run with bash into a folder.</summary>
public static class FixtureScripts
{
    /// <summary>Corpus B: the <c>src/</c> tree, raw ext4, ext2, FAT32 and NTFS partitions and their partclone,
    /// ntfsclone and partimage images (<c>mkcorpus.sh</c>).</summary>
    public static Task MakeCorpusAsync(string folder) => RunAsync("mkcorpus.sh", folder);

    /// <summary>Corpus B plus the partimage images of <c>mkpartimage.sh</c> and partimage's restore hashes; it saves on
    /// loop devices, so it needs root.</summary>
    public static Task MakePartimageCorpusAsync(string folder) => RunAsync("mkpartimage.sh", folder);

    private static Task RunAsync(string script, string folder) =>
        ExternalTool.RunCheckedAsync("bash", [Path.Combine(RepositoryRoot.Fixtures, script), folder]);
}
