namespace ForensicPipe.Cli.Tests.Mount;

/// <summary>
/// Corpus B from tests/fixtures/mkcorpus.sh (ext4.pc of the generated src/ tree, fat-empty.pc, ntfs-empty.pc),
/// plus a FAT32 with the same tree imaged by partclone.fat, and for each image our own sequential
/// reconstruction (<c>fpipe restore --fill zero</c>) as the reference the mounted file must equal.
/// </summary>
public sealed class MountCorpusFixture : FixtureFolder
{
    public MountCorpusFixture()
        : base("fpipe-cli-mount-")
    {
        CorpusWithFilledFat.MakeAsync(Folder, "PCFATFILES").GetAwaiter().GetResult();
        foreach (string image in new[] { "ext4.pc", "fat.pc", "ntfs-empty.pc" })
        {
            FpipeProcess.Outcome restore = FpipeProcess.Run(Folder, "restore", image, image + ".restored", "--fill", "zero", "--quiet", "--hash", "none");
            Assert.True(restore.ExitCode == 0, restore.Stderr);
        }
    }

    /// <summary>The generated source tree the ext4 and FAT file systems were filled from.</summary>
    public string SourceTree => File("src");
}
