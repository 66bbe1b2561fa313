namespace ForensicPipe.Cli.Tests;

/// <summary>A small ext4 made with mke2fs -d from random files, imaged with the real partclone.extfs
/// (default CRC groups), plus partclone's own zero-filled restore of it.</summary>
public sealed class PartcloneImageFixture : IDisposable
{
    private readonly TempDirectory _directory = new();

    public PartcloneImageFixture()
    {
        FpipeProcess.Shell(_directory.Path,
            "mkdir src && for i in 1 2 3 4 5 6; do head -c $((i * 300000)) /dev/urandom > src/f$i.bin; done " +
            "&& mke2fs -q -F -t ext4 -b 1024 -d src ext4.raw 24M " +
            "&& partclone.extfs -q -c -s ext4.raw -O ext4.pc -L /dev/null >/dev/null 2>&1 " +
            "&& partclone.restore -q -W -s ext4.pc -O partclone-restored.raw -L /dev/null >/dev/null 2>&1");
    }

    public string Folder => _directory.Path;

    public string File(string name) => _directory.File(name);

    public void Dispose() => _directory.Dispose();
}
