namespace ForensicPipe.Cli.Tests;

/// <summary>The partimage images of <c>tests/fixtures/mkpartimage.sh</c> (ext2 of corpus B plain, gzip, bzip2 and
/// split; FAT32; NTFS; tiny ext2), made with the real partimage on loop devices, and partimage's own restores.</summary>
public sealed class PartimageImageFixture : IDisposable
{
    private readonly TempDirectory _directory = new();

    public PartimageImageFixture()
    {
        FpipeProcess.Shell(_directory.Path, $"bash '{Path.Combine(RepositoryRoot(), "tests", "fixtures", "mkpartimage.sh")}' .");
    }

    public string Folder => _directory.Path;

    public string File(string name) => _directory.File(name);

    /// <summary>SHA-256 of partimage's restore of <paramref name="image"/> onto zeros.</summary>
    public string PartimageRestoreSha256(string image) => System.IO.File.ReadAllText(File(image + ".restored.sha256")).Trim();

    public void Dispose() => _directory.Dispose();

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "ForensicPipe.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No ForensicPipe.sln above {AppContext.BaseDirectory}");
    }
}
