namespace ForensicPipe.Cli.Tests;

/// <summary>The partimage images of <c>tests/fixtures/mkpartimage.sh</c> (ext2 of corpus B plain, gzip, bzip2 and
/// split; FAT32; NTFS; tiny ext2), made with the real partimage on loop devices, and partimage's own restores.</summary>
public sealed class PartimageImageFixture : FixtureFolder
{
    public PartimageImageFixture()
        : base("fpipe-cli-partimage-")
    {
        FixtureScripts.MakePartimageCorpusAsync(Folder).GetAwaiter().GetResult();
    }

    /// <summary>SHA-256 of partimage's restore of <paramref name="image"/> onto zeros.</summary>
    public string PartimageRestoreSha256(string image) => System.IO.File.ReadAllText(File(image + ".restored.sha256")).Trim();
}
