namespace ForensicPipe.Cli.Tests;

/// <summary>A small ext4 made with mke2fs -d from random files, imaged with the real partclone.extfs
/// (default CRC groups), plus partclone's own zero-filled restore of it.</summary>
public sealed class PartcloneImageFixture : FixtureFolder
{
    public PartcloneImageFixture()
        : base("fpipe-cli-partclone-")
    {
        MakeAsync().GetAwaiter().GetResult();
    }

    private async Task MakeAsync()
    {
        await ExternalTool.ShellAsync(Folder,
            "mkdir src && for i in 1 2 3 4 5 6; do head -c $((i * 300000)) /dev/urandom > src/f$i.bin; done " +
            "&& mke2fs -q -F -t ext4 -b 1024 -d src ext4.raw 24M").ConfigureAwait(false);
        await PartcloneTool.CloneAsync("extfs", File("ext4.raw"), File("ext4.pc")).ConfigureAwait(false);
        await PartcloneTool.RestoreAsync(File("ext4.pc"), File("partclone-restored.raw")).ConfigureAwait(false);
    }
}
