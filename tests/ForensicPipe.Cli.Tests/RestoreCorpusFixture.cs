namespace ForensicPipe.Cli.Tests;

/// <summary>The mkcorpus images (tests/fixtures/mkcorpus.sh: partclone ext4, FAT, NTFS; ntfsclone; the
/// <c>src/</c> tree the ext4 holds) plus a FAT with that tree copied in by mtools and imaged by partclone.fat,
/// so a FAT restore has files to compare.</summary>
public sealed class RestoreCorpusFixture : IDisposable
{
    private readonly TempDirectory _directory = new();

    public RestoreCorpusFixture()
    {
        FpipeProcess.Shell(_directory.Path,
            $"bash '{Path.Combine(RepositoryRoot, "tests", "fixtures", "mkcorpus.sh")}' . >/dev/null 2>&1 " +
            "&& truncate -s 64M fat.raw && mkfs.vfat --invariant -i 5678ABCD -F 32 -n PCFAT fat.raw >/dev/null " +
            "&& mcopy -s -i fat.raw src/bin src/docs ::/ " +
            "&& partclone.fat -q -L /dev/null -c -s fat.raw -O fat.pc >/dev/null 2>&1");
    }

    public string Folder => _directory.Path;

    public string File(string name) => _directory.File(name);

    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(folder.FullName, "ForensicPipe.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("ForensicPipe.sln not found above " + AppContext.BaseDirectory);
    }

    public void Dispose() => _directory.Dispose();
}
