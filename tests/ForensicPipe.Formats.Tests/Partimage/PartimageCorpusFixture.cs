using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Partimage;

/// <summary>
/// Makes the partimage fixtures once per test run with the real partimage 0.6.9 on loop devices:
/// <c>tests/fixtures/mkpartimage.sh</c> (corpus B's ext2 images from <c>mkcorpus.sh</c>, docs/testing.md,
/// "Corpus B: tests/fixtures/mkcorpus.sh", plus multi-volume bzip2, FAT32, NTFS and a tiny ext2 without CHK records)
/// and the SHA-256 of partimage's own restore of every image onto a zero-filled loop device.
/// </summary>
public sealed class PartimageCorpusFixture : IAsyncLifetime
{
    /// <summary>Every image (first volume without <c>.000</c>), with its raw partition and partition size.</summary>
    public static readonly IReadOnlyDictionary<string, string> Images = new Dictionary<string, string>
    {
        ["ext2.pimg"] = "ext2.raw",
        ["ext2gz.pimg"] = "ext2.raw",
        ["ext2bz.pimg"] = "ext2.raw",
        ["ext2mv.pimg"] = "ext2.raw",
        ["ext2mvgz.pimg"] = "ext2.raw",
        ["ext2mvbz.pimg"] = "ext2.raw",
        ["fat.pimg"] = "fat.raw",
        ["ntfs.pimg"] = "ntfs.raw",
        ["tiny.pimg"] = "tiny.raw",
    };

    private readonly TempDirectory _directory = new("fpipe-partimage-", keepWhenAsked: true);

    public string Directory => _directory.Path;

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>The first volume file of <paramref name="image"/>.</summary>
    public string FirstVolume(string image) => PathOf(image + ".000");

    /// <summary>The volume files of <paramref name="image"/> in order. partimage's split points (and so the number of
    /// volumes) differ between runs (docs/formats/partimage.md, "Files, volumes and compression"); every -V image of
    /// the fixture has at least 3.</summary>
    public IReadOnlyList<string> VolumeFiles(string image) =>
        [.. System.IO.Directory.GetFiles(Directory, image + ".0??").Where(f => !f.EndsWith(".sha256", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    /// <summary>SHA-256 of <c>partimage restore</c>'s output onto zeros, as mkpartimage.sh recorded it.</summary>
    public string PartimageRestoreSha256(string image) => File.ReadAllText(PathOf(image + ".restored.sha256")).Trim();

    public async Task InitializeAsync()
    {
        ExternalTool.Locate("partimage");
        ExternalTool.Locate("mkntfs");
        ExternalTool.Locate("mkfs.vfat");
        ExternalTool.Locate("mcopy");
        ExternalTool.Locate("ntfscp");
        ExternalTool.Locate("losetup");
        await FixtureScripts.MakePartimageCorpusAsync(Directory);
    }

    public Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class PartimageCorpusCollection : ICollectionFixture<PartimageCorpusFixture>
{
    public const string Name = "partimage corpus";
}
