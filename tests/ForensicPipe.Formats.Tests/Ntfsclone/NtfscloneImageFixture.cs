using System.Security.Cryptography;
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

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), $"fpipe-ntfsclone-{Guid.NewGuid():N}");

    /// <summary>SHA-256 of <c>ntfsclone --restore-image</c>'s output per image.</summary>
    public Dictionary<string, string> RestoreSha256 { get; } = [];

    public string PathOf(string name) => Path.Combine(Directory, name);

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);

        // Corpus B's empty NTFS, made exactly as tests/fixtures/mkcorpus.sh makes it.
        CreateSparse(PathOf("empty.raw"), 96L << 20);
        await ExternalTool.RunCheckedAsync("mkntfs", ["-F", "-f", "-T", "-L", "pcntfs", PathOf("empty.raw")]);

        CreateSparse(PathOf("cluster64k.raw"), 64L << 20);
        await ExternalTool.RunCheckedAsync("mkntfs", ["-F", "-f", "-q", "-c", "65536", "-L", "fp64k", PathOf("cluster64k.raw")]);

        CreateSparse(PathOf("populated.raw"), 64L << 20);
        await ExternalTool.RunCheckedAsync("mkntfs", ["-F", "-f", "-q", "-L", "fpfull", PathOf("populated.raw")]);
        await PopulateAsync(PathOf("populated.raw"));

        await SaveAsync("empty.raw", "empty.ntfsclone");
        await SaveAsync("cluster64k.raw", "cluster64k.ntfsclone");
        await SaveAsync("populated.raw", "populated.ntfsclone");
        await SaveAsync("populated.raw", MetadataImage, "--metadata");
        await ExternalTool.RunCheckedAsync("bash", ["-c",
            $"ntfsclone --save-image -O - '{PathOf("populated.raw")}' > '{PathOf("populated-stdout.ntfsclone")}'"]);

        foreach (string image in FullImages.Keys.Append(MetadataImage))
        {
            string restored = PathOf(image + ".restored");
            await ExternalTool.RunCheckedAsync("ntfsclone", ["--restore-image", "--overwrite", restored, PathOf(image)]);
            RestoreSha256[image] = Sha256Of(restored);
            if (restored != PathOf(RestoredPopulated))
            {
                File.Delete(restored);
            }
        }
    }

    public Task DisposeAsync()
    {
        // FPIPE_KEEP_FIXTURES=1 keeps the images for a look after a failure.
        if (System.IO.Directory.Exists(Directory) && Environment.GetEnvironmentVariable("FPIPE_KEEP_FIXTURES") != "1")
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        return Task.CompletedTask;
    }

    public static string Sha256Of(string path)
    {
        using FileStream file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    private Task SaveAsync(string raw, string image, params string[] options) =>
        ExternalTool.RunCheckedAsync("ntfsclone", [.. options, "--save-image", "-O", PathOf(image), PathOf(raw)]);

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

    private static void CreateSparse(string path, long size)
    {
        using FileStream file = File.Create(path);
        file.SetLength(size);
    }
}

[CollectionDefinition(Name)]
public sealed class NtfscloneImageCollection : ICollectionFixture<NtfscloneImageFixture>
{
    public const string Name = "ntfsclone images";
}
