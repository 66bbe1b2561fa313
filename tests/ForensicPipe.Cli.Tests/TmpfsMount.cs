namespace ForensicPipe.Cli.Tests;

/// <summary>A size-limited tmpfs mounted on a fresh folder (as root), unmounted and removed in
/// <see cref="Dispose"/> whatever the test did: where a test fills a file system or restores a hostile header.</summary>
public sealed class TmpfsMount : IDisposable
{
    private readonly TempDirectory _directory = new();

    public TmpfsMount(string size)
    {
        ExternalTool.Shell("/", $"mount -t tmpfs -o size={size} tmpfs '{_directory.Path}'");
    }

    public string Path => _directory.Path;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        ExternalTool.Shell("/", $"umount '{Path}'");
        _directory.Dispose();
    }
}
