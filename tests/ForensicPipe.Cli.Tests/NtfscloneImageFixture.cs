namespace ForensicPipe.Cli.Tests;

/// <summary>An empty NTFS made with mkntfs, its full and metadata images from the real ntfsclone, and ntfsclone's
/// own restore of each.</summary>
public sealed class NtfscloneImageFixture : IDisposable
{
    private readonly TempDirectory _directory = new();

    public NtfscloneImageFixture()
    {
        FpipeProcess.Shell(_directory.Path,
            "truncate -s 48M ntfs.raw && mkntfs -q -F -f -L fpcli ntfs.raw >/dev/null 2>&1 " +
            "&& ntfsclone -q --save-image -O ntfs.img ntfs.raw >/dev/null 2>&1 " +
            "&& ntfsclone -q --metadata --save-image -O ntfs.meta.img ntfs.raw >/dev/null 2>&1 " +
            "&& ntfsclone -q --restore-image -O meta-restored.raw ntfs.meta.img >/dev/null 2>&1");
    }

    public string Folder => _directory.Path;

    public string File(string name) => _directory.File(name);

    public void Dispose() => _directory.Dispose();
}
