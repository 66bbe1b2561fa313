namespace ForensicPipe.Cli.Tests;

/// <summary>A loop device over a backing file (<c>losetup -f --show</c>, as root), detached in
/// <see cref="Dispose"/> whatever the test did; only devices made here are ever detached.</summary>
public sealed class LoopDevice : IDisposable
{
    private LoopDevice(string path, string backingFile)
    {
        Path = path;
        BackingFile = backingFile;
    }

    public string Path { get; }

    public string BackingFile { get; }

    public static LoopDevice Attach(string backingFile, int? sectorSize = null)
    {
        string sector = sectorSize is int size ? $"--sector-size {size} " : "";
        string path = FpipeProcess.Shell("/", $"losetup -f --show {sector}'{backingFile}'").Trim();
        return new LoopDevice(path, backingFile);
    }

    public static string AttachedTo(string backingFile) => FpipeProcess.Shell("/", $"losetup -j '{backingFile}'").Trim();

    public void Dispose()
    {
        FpipeProcess.Shell("/", $"losetup -d {Path}");
        if (AttachedTo(BackingFile).Length != 0)
        {
            throw new InvalidOperationException($"{Path} is still attached to {BackingFile}");
        }
    }
}
