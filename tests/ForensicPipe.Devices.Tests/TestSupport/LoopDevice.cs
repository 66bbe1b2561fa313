namespace ForensicPipe.Devices.Tests.TestSupport;

/// <summary>
/// A loop device over a backing file (<c>losetup -f --show</c>, as root), detached in <see cref="Dispose"/>
/// whatever the test did. Only devices made here are ever detached; other users of loop devices on the
/// machine are left alone.
/// </summary>
public sealed class LoopDevice : IDisposable
{
    private LoopDevice(string path, string backingFile)
    {
        Path = path;
        BackingFile = backingFile;
    }

    public string Path { get; }

    public string BackingFile { get; }

    /// <summary>Attaches <paramref name="backingFile"/>; <paramref name="sectorSize"/> sets the logical sector size.</summary>
    public static LoopDevice Attach(string backingFile, int? sectorSize = null)
    {
        string[] arguments = sectorSize is int size
            ? ["-f", "--show", "--sector-size", size.ToString(System.Globalization.CultureInfo.InvariantCulture), backingFile]
            : ["-f", "--show", backingFile];
        string path = Shell.Run("losetup", arguments).Trim();
        return new LoopDevice(path, backingFile);
    }

    /// <summary>Loop devices attached to <paramref name="backingFile"/> (<c>losetup -j</c>).</summary>
    public static string AttachedTo(string backingFile) => Shell.Run("losetup", "-j", backingFile).Trim();

    public void Dispose()
    {
        Shell.Run("losetup", "-d", Path);
        if (AttachedTo(BackingFile).Length != 0)
        {
            throw new InvalidOperationException($"{Path} is still attached to {BackingFile}");
        }
    }
}
