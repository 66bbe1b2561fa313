using System.Runtime.InteropServices;

namespace ForensicPipe.Cli.Mount;

/// <summary>
/// The libfuse3 high-level API (fuse.h, libfuse 3.x ABI). Versioned entry points are named explicitly:
/// <c>fuse_new_31</c> (<c>fuse_new@@FUSE_3.1</c>) and <c>fuse_loop_mt_31</c> (the <c>int clone_fd</c> form,
/// <c>fuse_loop_mt@FUSE_3.0</c>), so the binding does not depend on which default a given libfuse exports.
/// </summary>
internal static unsafe partial class FuseNative
{
    private const string Library = "libfuse3.so.3";

    /// <summary>Errno values (Linux asm-generic/errno-base.h), returned negated by the operations.</summary>
    internal const int ENOENT = 2;
    internal const int EIO = 5;
    internal const int EACCES = 13;
    internal const int EROFS = 30;

    /// <summary><c>O_ACCMODE</c> and <c>O_RDONLY</c> (asm-generic/fcntl.h).</summary>
    internal const int OAccMode = 3;
    internal const int ORdOnly = 0;

    /// <summary><c>struct fuse_args</c>: argc, argv, allocated.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct FuseArgs
    {
        public int Argc;
        public byte** Argv;
        public int Allocated;
    }

    [LibraryImport(Library, EntryPoint = "fuse_new_31")]
    internal static partial nint FuseNew(FuseArgs* args, FuseOperations* operations, nuint operationsSize, nint privateData);

    [LibraryImport(Library, EntryPoint = "fuse_mount", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int FuseMount(nint fuse, string mountpoint);

    [LibraryImport(Library, EntryPoint = "fuse_loop_mt_31")]
    internal static partial int FuseLoopMt(nint fuse, int cloneFd);

    [LibraryImport(Library, EntryPoint = "fuse_unmount")]
    internal static partial void FuseUnmount(nint fuse);

    [LibraryImport(Library, EntryPoint = "fuse_destroy")]
    internal static partial void FuseDestroy(nint fuse);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    internal static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "getegid")]
    internal static partial uint GetEffectiveGroupId();

    [LibraryImport("libc", EntryPoint = "setsid", SetLastError = true)]
    internal static partial int SetSid();
}
