namespace ForensicPipe.Cli.Tests.Mount;

/// <summary>A read-only loop mount of a file, unmounted and detached on Dispose.</summary>
public sealed class MountedLoop : IDisposable
{
    private readonly string _target;

    public MountedLoop(string file, string target)
    {
        _target = target;
        Directory.CreateDirectory(target);
        ExternalTool.Shell("/", $"mount -o loop,ro '{file}' '{target}'");
    }

    public void Dispose()
    {
        try
        {
            string device = ExternalTool.Shell("/", $"findmnt -n -o SOURCE --target '{_target}'").Trim();
            ExternalTool.Shell("/", $"umount '{_target}' || umount -l '{_target}'; losetup -d '{device}' 2>/dev/null || true");
        }
        catch (InvalidOperationException)
        {
        }
    }
}
