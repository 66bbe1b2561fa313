namespace ForensicPipe.Cli.Tests;

/// <summary>The mkcorpus images (tests/fixtures/mkcorpus.sh: partclone ext4, FAT, NTFS; ntfsclone; the
/// <c>src/</c> tree the ext4 holds) plus a FAT with that tree copied in by mtools and imaged by partclone.fat,
/// so a FAT restore has files to compare.</summary>
public sealed class RestoreCorpusFixture : FixtureFolder
{
    public RestoreCorpusFixture()
        : base("fpipe-cli-restore-")
    {
        CorpusWithFilledFat.MakeAsync(Folder, "PCFAT").GetAwaiter().GetResult();
    }
}
