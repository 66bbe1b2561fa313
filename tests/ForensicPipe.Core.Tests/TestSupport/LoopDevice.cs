namespace ForensicPipe.Core.Tests.TestSupport;

/// <summary>
/// A loop device over a backing file (<c>losetup -f --show</c>, as root), detached in <see cref="Dispose"/>
/// whatever the test did. Only devices made here are ever detached; other users of loop devices on the
/// machine are left alone. (As in ForensicPipe.Devices.Tests, which Core.Tests does not reference.)
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

    public static LoopDevice Attach(string backingFile) =>
        new(Tool.Run("losetup", "-f", "--show", backingFile).Trim(), backingFile);

    /// <summary>Loop devices attached to <paramref name="backingFile"/> (<c>losetup -j</c>).</summary>
    public static string AttachedTo(string backingFile) => Tool.Run("losetup", "-j", backingFile).Trim();

    public void Dispose()
    {
        Tool.Run("losetup", "-d", Path);
        if (AttachedTo(BackingFile).Length != 0)
        {
            throw new InvalidOperationException($"{Path} is still attached to {BackingFile}");
        }
    }
}
