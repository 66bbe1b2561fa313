namespace ForensicPipe.Cli.Tests;

/// <summary>A fresh folder with a size-limited tmpfs mounted on it, for tests that write large outputs: a runaway
/// write fills the tmpfs, not the disk. Unmounted and deleted on dispose.</summary>
public sealed class TmpfsDirectory : IDisposable
{
    private readonly TempDirectory _directory = new();

    public TmpfsDirectory(int megabytes)
    {
        ExternalTool.Shell(_directory.Path, $"mount -t tmpfs -o size={megabytes}m fpipe-test '{_directory.Path}'");
    }

    public string Path => _directory.Path;

    public string File(string name) => _directory.File(name);

    public void Dispose()
    {
        try
        {
            ExternalTool.Shell("/", $"umount '{_directory.Path}'");
        }
        finally
        {
            _directory.Dispose();
        }
    }
}
