namespace ForensicPipe.Cli.Tests;

/// <summary>An empty NTFS made with mkntfs, its full and metadata images from the real ntfsclone, and ntfsclone's
/// own restore of each.</summary>
public sealed class NtfscloneImageFixture : FixtureFolder
{
    public NtfscloneImageFixture()
        : base("fpipe-cli-ntfsclone-")
    {
        MakeAsync().GetAwaiter().GetResult();
    }

    private async Task MakeAsync()
    {
        await FileSystemImages.MakeNtfsAsync(File("ntfs.raw"), 48L << 20, "fpcli", "-q").ConfigureAwait(false);
        await NtfscloneTool.SaveImageAsync(File("ntfs.raw"), File("ntfs.img")).ConfigureAwait(false);
        await NtfscloneTool.SaveImageAsync(File("ntfs.raw"), File("ntfs.meta.img"), "--metadata").ConfigureAwait(false);
        await NtfscloneTool.RestoreImageAsync(File("ntfs.meta.img"), File("meta-restored.raw")).ConfigureAwait(false);
    }
}
