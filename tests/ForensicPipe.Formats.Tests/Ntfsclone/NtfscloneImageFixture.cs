using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Ntfsclone;

/// <summary>
/// Makes the ntfsclone fixtures once per test run with the real tools: the empty NTFS of corpus B
/// (docs/testing.md, "Corpus B: tests/fixtures/mkcorpus.sh", whose hashes are known), an NTFS populated through
/// ntfs-3g, and one with 64 KiB clusters; their full images (<c>ntfsclone --save-image</c>, also written to standard
/// output), a metadata image (<c>--metadata --save-image</c>), and what <c>ntfsclone --restore-image</c> makes of each
/// image.
/// </summary>
public sealed class NtfscloneImageFixture : IAsyncLifetime
{
    /// <summary>Full images and the raw partition each was saved from.</summary>
    public static readonly IReadOnlyDictionary<string, string> FullImages = new Dictionary<string, string>
    {
        ["empty.ntfsclone"] = "empty.raw",
        ["populated.ntfsclone"] = "populated.raw",
        ["populated-stdout.ntfsclone"] = "populated.raw",
        ["cluster64k.ntfsclone"] = "cluster64k.raw",
    };

    /// <summary>Images whose reconstruction is their raw partition byte for byte. populated.raw had files deleted, so
    /// its freed clusters still hold their old bytes, which ntfsclone does not save: its reconstruction equals
    /// <c>ntfsclone --restore-image</c>'s output (<see cref="RestoredPopulated"/>), not the raw file.</summary>
    public static readonly IReadOnlySet<string> EqualToTheirRaw = new HashSet<string> { "empty.ntfsclone", "cluster64k.ntfsclone" };

    /// <summary>What <c>ntfsclone --restore-image</c> made of populated.ntfsclone (kept for byte comparisons).</summary>
    public const string RestoredPopulated = "populated.ntfsclone.restored";

    /// <summary>The metadata image of populated.raw.</summary>
    public const string MetadataImage = "populated.metadata.ntfsclone";

    private readonly TempDirectory _directory = new("fpipe-ntfsclone-", keepWhenAsked: true);

    public string Directory => _directory.Path;

    /// <summary>SHA-256 of <c>ntfsclone --restore-image</c>'s output per image.</summary>
    public Dictionary<string, string> RestoreSha256 { get; } = [];

    public string PathOf(string name) => Path.Combine(Directory, name);

    public async Task InitializeAsync()
    {
        // Corpus B's empty NTFS, made exactly as tests/fixtures/mkcorpus.sh makes it.
        await FileSystemImages.MakeNtfsAsync(PathOf("empty.raw"), 96L << 20, "pcntfs", "-T");
        await FileSystemImages.MakeNtfsAsync(PathOf("cluster64k.raw"), 64L << 20, "fp64k", "-q", "-c", "65536");
        await FileSystemImages.MakeNtfsAsync(PathOf("populated.raw"), 64L << 20, "fpfull", "-q");
        await PopulateAsync(PathOf("populated.raw"));

        await SaveAsync("empty.raw", "empty.ntfsclone");
        await SaveAsync("cluster64k.raw", "cluster64k.ntfsclone");
        await SaveAsync("populated.raw", "populated.ntfsclone");
        await SaveAsync("populated.raw", MetadataImage, "--metadata");
        await ExternalTool.ShellAsync(Directory, $"ntfsclone --save-image -O - '{PathOf("populated.raw")}' > '{PathOf("populated-stdout.ntfsclone")}'");

        foreach (string image in FullImages.Keys.Append(MetadataImage))
        {
            string restored = PathOf(image + ".restored");
            await NtfscloneTool.RestoreImageAsync(PathOf(image), restored);
            RestoreSha256[image] = FileHash.Sha256(restored);
            if (restored != PathOf(RestoredPopulated))
            {
                File.Delete(restored);
            }
        }
    }

    public Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }

    private Task SaveAsync(string raw, string image, params string[] options) =>
        NtfscloneTool.SaveImageAsync(PathOf(raw), PathOf(image), options);

    /// <summary>Mounts the file system through ntfs-3g and writes files of many sizes in nested folders, some deleted
    /// again so that freed clusters sit between used ones.</summary>
    private async Task PopulateAsync(string raw)
    {
        string mountPoint = PathOf("mnt");
        System.IO.Directory.CreateDirectory(mountPoint);
        await ExternalTool.RunCheckedAsync("ntfs-3g", [raw, mountPoint]);
        try
        {
            var random = new Random(20261121);
            for (int folder = 0; folder < 4; folder++)
            {
                string path = System.IO.Directory.CreateDirectory(Path.Combine(mountPoint, $"folder{folder}", "nested")).FullName;
                for (int file = 0; file < 12; file++)
                {
                    byte[] bytes = new byte[random.Next(1, 900_000)];
                    random.NextBytes(bytes);
                    await File.WriteAllBytesAsync(Path.Combine(path, $"file{file}.bin"), bytes);
                }
                File.Delete(Path.Combine(path, "file3.bin"));
            }
        }
        finally
        {
            await ExternalTool.RunCheckedAsync("umount", [mountPoint]);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class NtfscloneImageCollection : ICollectionFixture<NtfscloneImageFixture>
{
    public const string Name = "ntfsclone images";
}
