using System.Globalization;

namespace ForensicPipe.TestSupport;

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

    /// <summary>The device node, /dev/loopN.</summary>
    public string Path { get; }

    /// <summary>The file the device shows.</summary>
    public string BackingFile { get; }

    /// <summary>Attaches <paramref name="backingFile"/>; <paramref name="sectorSize"/> sets the logical sector size,
    /// <paramref name="readOnly"/> makes a read-only device (<c>losetup -r</c>).</summary>
    public static LoopDevice Attach(string backingFile, int? sectorSize = null, bool readOnly = false)
    {
        List<string> arguments = ["-f", "--show"];
        if (sectorSize is int size)
        {
            arguments.AddRange(["--sector-size", size.ToString(CultureInfo.InvariantCulture)]);
        }
        if (readOnly)
        {
            arguments.Add("-r");
        }
        arguments.Add(backingFile);
        return new LoopDevice(ExternalTool.Run("losetup", [.. arguments]).Trim(), backingFile);
    }

    /// <summary>Loop devices attached to <paramref name="backingFile"/> (<c>losetup -j</c>).</summary>
    public static string AttachedTo(string backingFile) => ExternalTool.Run("losetup", "-j", backingFile).Trim();

    /// <summary>How long a detach may take to complete before <see cref="Dispose"/> calls the device stuck.</summary>
    private static readonly TimeSpan DetachWait = TimeSpan.FromSeconds(10);

    /// <summary>Detaches the device and checks that nothing is left attached to the backing file.</summary>
    public void Dispose()
    {
        ExternalTool.Run("losetup", "-d", Path);
        // While anything still has the device open (a prober such as blkid right after the attach, a test's handle
        // being closed), the kernel only marks it to be cleared at the last close: wait for that, a bounded time.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (AttachedTo(BackingFile).Length != 0)
        {
            if (waited.Elapsed > DetachWait)
            {
                throw new InvalidOperationException($"{Path} is still attached to {BackingFile} {DetachWait.TotalSeconds} s after losetup -d");
            }
            Thread.Sleep(50);
        }
    }
}
