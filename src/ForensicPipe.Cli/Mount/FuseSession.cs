using System.Diagnostics;
using System.Runtime.InteropServices;
using ForensicPipe.Core.Errors;

namespace ForensicPipe.Cli.Mount;

/// <summary>
/// One libfuse3 mount: <c>fuse_new</c> with the operations of <see cref="VirtualPartitionFileSystem"/>,
/// <c>fuse_mount</c>, the multi-threaded loop until the file system is unmounted, then <c>fuse_unmount</c>
/// and <c>fuse_destroy</c>. Mount options: <c>ro</c> (the kernel refuses every change with EROFS),
/// <c>kernel_cache</c> (the image does not change while mounted, so the page cache is kept across opens),
/// <c>auto_unmount</c> (fusermount3 unmounts if this process dies without unmounting), and
/// <c>allow_other</c> when permitted, so that root's <c>mount -o loop</c> can read a user's mount.
/// </summary>
internal sealed unsafe class FuseSession : IDisposable
{
    private readonly List<nint> _strings = [];
    private readonly string _mountPoint;
    private nint _fuse;
    private FuseOperations* _operations;
    private int _unmountRequested;

    private FuseSession(string mountPoint) => _mountPoint = mountPoint;

    /// <summary>Creates the FUSE handle and mounts it at <paramref name="mountPoint"/> (an empty directory).</summary>
    public static FuseSession Mount(string mountPoint, bool allowOther)
    {
        var session = new FuseSession(mountPoint);
        try
        {
            session.Create(allowOther);
            if (FuseNative.FuseMount(session._fuse, mountPoint) != 0)
            {
                throw new ForensicPipeException($"{mountPoint}: FUSE could not mount here (libfuse printed the reason above; is /dev/fuse there and fusermount3 installed?)");
            }
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private void Create(bool allowOther)
    {
        string options = "ro,default_permissions,fsname=fpipe,subtype=fpipe,kernel_cache,auto_unmount" + (allowOther ? ",allow_other" : "");
        string[] arguments = ["fpipe", "-o", options];
        byte** argv = (byte**)NativeMemory.AllocZeroed((nuint)(arguments.Length + 1), (nuint)sizeof(nint));
        _strings.Add((nint)argv);
        for (int i = 0; i < arguments.Length; i++)
        {
            nint text = Marshal.StringToCoTaskMemUTF8(arguments[i]);
            _strings.Add(text);
            argv[i] = (byte*)text;
        }
        var args = new FuseNative.FuseArgs { Argc = arguments.Length, Argv = argv, Allocated = 0 };
        _operations = (FuseOperations*)NativeMemory.AllocZeroed((nuint)sizeof(FuseOperations));
        *_operations = VirtualPartitionFileSystem.CreateOperations();
        _fuse = FuseNative.FuseNew(&args, _operations, (nuint)sizeof(FuseOperations), 0);
        if (_fuse == 0)
        {
            throw new ForensicPipeException("FUSE refused its options (libfuse printed the reason above)");
        }
    }

    /// <summary>Serves requests until the file system is unmounted (<c>fusermount3 -u</c>,
    /// <see cref="RequestUnmount"/>). Returns libfuse's result: 0 for a clean end.</summary>
    public int Run() => FuseNative.FuseLoopMt(_fuse, 0);

    /// <summary>Detaches the mount (<c>fusermount3 -u -z</c>), which ends <see cref="Run"/>. Safe to call from a
    /// signal handler thread, more than once.</summary>
    public void RequestUnmount()
    {
        if (Interlocked.Exchange(ref _unmountRequested, 1) != 0)
        {
            return;
        }
        var start = new ProcessStartInfo("fusermount3") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in new[] { "-u", "-z", "--", _mountPoint })
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using Process? process = Process.Start(start);
            process?.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            Console.Error.WriteLine($"fpipe: cannot run fusermount3 to unmount {_mountPoint}: {ex.Message}");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_fuse != 0)
        {
            // fuse_unmount finds an already unmounted file system (POLLERR on its device) and only closes it.
            FuseNative.FuseUnmount(_fuse);
            FuseNative.FuseDestroy(_fuse);
            _fuse = 0;
        }
        if (_operations is not null)
        {
            NativeMemory.Free(_operations);
            _operations = null;
        }
        foreach (nint pointer in _strings)
        {
            if (pointer == _strings[0])
            {
                NativeMemory.Free((void*)pointer);
            }
            else
            {
                Marshal.FreeCoTaskMem(pointer);
            }
        }
        _strings.Clear();
    }
}
