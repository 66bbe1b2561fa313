using System.Security.Cryptography;

namespace ForensicPipe.Cli.Tests.Mount;

/// <summary>
/// Corpus B from tests/fixtures/mkcorpus.sh (ext4.pc of the generated src/ tree, fat-empty.pc, ntfs-empty.pc),
/// plus a FAT32 with the same tree imaged by partclone.fat, and for each image our own sequential
/// reconstruction (<c>fpipe restore --fill zero</c>) as the reference the mounted file must equal.
/// </summary>
public sealed class MountCorpusFixture : IDisposable
{
    private readonly TempDirectory _directory = new();

    public MountCorpusFixture()
    {
        string script = Path.Combine(RepositoryRoot(), "tests", "fixtures", "mkcorpus.sh");
        FpipeProcess.Shell(Folder, $"bash '{script}' '{Folder}'");
        FpipeProcess.Shell(Folder,
            "truncate -s 64M fat.raw && mkfs.vfat --invariant -i 5678ABCD -F 32 -n PCFATFILES fat.raw >/dev/null "
            + "&& mcopy -s -i fat.raw src/bin src/docs ::/ "
            + "&& partclone.fat -q -c -L /dev/null -s fat.raw -O fat.pc >/dev/null 2>&1");
        foreach (string image in new[] { "ext4.pc", "fat.pc", "ntfs-empty.pc" })
        {
            FpipeProcess.Outcome restore = FpipeProcess.Run(Folder, "restore", image, image + ".restored", "--fill", "zero", "--quiet", "--hash", "none");
            Assert.True(restore.ExitCode == 0, restore.Stderr);
        }
    }

    public string Folder => _directory.Path;

    public string File(string name) => _directory.File(name);

    /// <summary>The generated source tree the ext4 and FAT file systems were filled from.</summary>
    public string SourceTree => File("src");

    public static string Sha256(string path)
    {
        using FileStream stream = new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(folder.FullName, "ForensicPipe.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("ForensicPipe.sln not found above the test binaries");
    }

    public void Dispose() => _directory.Dispose();
}
