namespace ForensicPipe.Core.Tests.TestSupport;

/// <summary>A size-limited tmpfs mounted on a fresh folder (as root), unmounted and removed in
/// <see cref="Dispose"/> whatever the test did: where tests fill a file system on purpose.</summary>
public sealed class TmpfsMount : IDisposable
{
    private readonly TempDirectory _directory = new();

    public TmpfsMount(long bytes)
    {
        ExternalTool.Run("mount", "-t", "tmpfs", "-o", $"size={bytes}", "tmpfs", _directory.Path);
    }

    public string Path => _directory.Path;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        ExternalTool.Run("umount", Path);
        _directory.Dispose();
    }
}
