using System.Diagnostics;

namespace ForensicPipe.Cli.Tests.Mount;

/// <summary>
/// <c>fpipe mount IMAGE MOUNTPOINT --foreground</c> running as a child process, ready when it has printed its
/// last line and the mount is in /proc/self/mountinfo. Dispose unmounts everything it or the test mounted on
/// top (loop mounts first, detaching their loop devices), even after a failure: fusermount3 -u, then
/// umount -l as the last resort, then kills the process.
/// </summary>
public sealed class MountedImage : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _loopMounts = [];
    private readonly System.Text.StringBuilder _stdout = new();
    private readonly System.Text.StringBuilder _stderr = new();

    public MountedImage(string image, string mountPoint, params string[] options)
    {
        MountPoint = Path.GetFullPath(mountPoint);
        Directory.CreateDirectory(MountPoint);
        var ready = new TaskCompletionSource();
        _process = Process.Start(FpipeProcess.StartInfo(Path.GetDirectoryName(MountPoint)!, ["mount", image, MountPoint, "--foreground", .. options]))!;
        _process.StandardInput.Close();
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetResult();
                return;
            }
            lock (_stdout)
            {
                _stdout.AppendLine(e.Data);
            }
            if (e.Data.StartsWith("   fusermount3 -u ", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (!ready.Task.Wait(TimeSpan.FromSeconds(60)) || !IsMounted(MountPoint))
        {
            string failure = $"fpipe mount did not become ready: stdout {Stdout} stderr {Stderr}";
            Dispose();
            throw new InvalidOperationException(failure);
        }
    }

    public string MountPoint { get; }

    public string Stdout { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string Stderr { get { lock (_stderr) { return _stderr.ToString(); } } }

    public string File(string name) => Path.Combine(MountPoint, name);

    public Process Process => _process;

    public static bool IsMounted(string mountPoint) =>
        System.IO.File.ReadLines("/proc/self/mountinfo").Any(line => line.Split(' ')[4] == mountPoint);

    /// <summary><c>mount -o loop,ro FILE TARGET</c>; unmounted (and its loop device detached) by Dispose.</summary>
    public void LoopMount(string file, string target, string? type = null)
    {
        Directory.CreateDirectory(target);
        ExternalTool.Shell("/", $"mount {(type is null ? "" : $"-t {type} ")}-o loop,ro '{file}' '{target}'");
        _loopMounts.Add(target);
    }

    public void Dispose()
    {
        foreach (string target in Enumerable.Reverse(_loopMounts))
        {
            string device = Try($"findmnt -n -o SOURCE --target '{target}'").Trim();
            Try($"umount '{target}' || umount -l '{target}'");
            if (device.StartsWith("/dev/loop", StringComparison.Ordinal))
            {
                Try($"losetup -d '{device}'");
            }
        }
        _loopMounts.Clear();
        if (IsMounted(MountPoint))
        {
            Try($"fusermount3 -u '{MountPoint}'");
        }
        if (!_process.WaitForExit(TimeSpan.FromSeconds(15)))
        {
            Try($"umount -l '{MountPoint}'");
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        if (IsMounted(MountPoint))
        {
            Try($"umount -l '{MountPoint}'");
        }
        _process.Dispose();
    }

    private static string Try(string command)
    {
        try
        {
            return ExternalTool.Shell("/", command);
        }
        catch (InvalidOperationException)
        {
            return "";
        }
    }
}
