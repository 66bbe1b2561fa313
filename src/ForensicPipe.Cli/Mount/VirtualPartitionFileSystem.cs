using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using ForensicPipe.Formats.ImageAccess;

namespace ForensicPipe.Cli.Mount;

/// <summary>
/// The FUSE file system of <c>fpipe mount</c>: a root directory holding one read-only file, the reconstructed
/// partition of the image. libfuse calls the operations from its worker threads; reads go straight to
/// <see cref="IRandomAccessImage.Read"/>, which is thread-safe. Every operation that would change anything
/// answers EROFS (the mount is also read-only, so the kernel refuses most of them before asking).
/// One file system per process: libfuse's C callbacks reach it through a static field.
/// </summary>
internal static unsafe class VirtualPartitionFileSystem
{
    private static State? s_state;

    /// <summary>What the callbacks serve.</summary>
    internal sealed class State(IRandomAccessImage image, string fileName, long modifiedSeconds)
    {
        public IRandomAccessImage Image { get; } = image;

        public byte[] FileName { get; } = Encoding.UTF8.GetBytes(fileName);

        public byte[] FilePath { get; } = Encoding.UTF8.GetBytes("/" + fileName);

        public long ModifiedSeconds { get; } = modifiedSeconds;

        public uint Uid { get; } = FuseNative.GetEffectiveUserId();

        public uint Gid { get; } = FuseNative.GetEffectiveGroupId();

        public long ReadErrors;
    }

    /// <summary>Sets what the callbacks serve; call before mounting.</summary>
    public static void Serve(State state) => s_state = state;

    /// <summary>The operations table.</summary>
    public static FuseOperations CreateOperations() => new()
    {
        GetAttr = &GetAttr,
        Open = &Open,
        Read = &Read,
        ReadDir = &ReadDir,
        MkNod = &MkNod,
        MkDir = &MkDir,
        Unlink = &Unlink,
        RmDir = &RmDir,
        SymLink = &TwoPaths,
        Rename = &Rename,
        Link = &TwoPaths,
        ChMod = &ChMod,
        ChOwn = &ChOwn,
        Truncate = &Truncate,
        Write = &Write,
        SetXAttr = &SetXAttr,
        RemoveXAttr = &TwoPaths,
        Create = &Create,
        UTimeNs = &UTimeNs,
    };

    private static bool IsRoot(byte* path) => path[0] == '/' && path[1] == 0;

    private static bool IsFile(byte* path, State state) =>
        MemoryMarshal.CreateReadOnlySpanFromNullTerminated(path).SequenceEqual(state.FilePath);

    [UnmanagedCallersOnly]
    private static int GetAttr(byte* path, byte* stat, void* fileInfo)
    {
        State state = s_state!;
        if (IsRoot(path))
        {
            StatLayout.Write(stat, StatLayout.DirectoryMode | 0x16D /* 0555 */, 2, 0, state.Uid, state.Gid, state.ModifiedSeconds);
            return 0;
        }
        if (IsFile(path, state))
        {
            StatLayout.Write(stat, StatLayout.RegularMode | 0x124 /* 0444 */, 1, state.Image.Length, state.Uid, state.Gid, state.ModifiedSeconds);
            return 0;
        }
        return -FuseNative.ENOENT;
    }

    [UnmanagedCallersOnly]
    private static int Open(byte* path, void* fileInfo)
    {
        if (!IsFile(path, s_state!))
        {
            return IsRoot(path) ? -FuseNative.EACCES : -FuseNative.ENOENT;
        }
        // struct fuse_file_info starts with int flags (the open(2) flags).
        int flags = *(int*)fileInfo;
        return (flags & FuseNative.OAccMode) == FuseNative.ORdOnly ? 0 : -FuseNative.EROFS;
    }

    [UnmanagedCallersOnly]
    private static int Read(byte* path, byte* buffer, nuint size, long offset, void* fileInfo)
    {
        State state = s_state!;
        try
        {
            return state.Image.Read(offset, new Span<byte>(buffer, checked((int)size)));
        }
        catch (Exception ex)
        {
            // The reading program sees EIO; the reason, with the image offset, goes to standard error.
            if (Interlocked.Increment(ref state.ReadErrors) <= 100)
            {
                Commands.MountCommand.Log($"fpipe: read of {size} bytes at partition byte {offset} failed: {ex.Message}");
            }
            return -FuseNative.EIO;
        }
    }

    [UnmanagedCallersOnly]
    private static int ReadDir(byte* path, void* buffer, delegate* unmanaged<void*, byte*, void*, long, int, int> fill, long offset, void* fileInfo, int flags)
    {
        if (!IsRoot(path))
        {
            return -FuseNative.ENOENT;
        }
        byte* dot = stackalloc byte[] { (byte)'.', 0 };
        byte* dotDot = stackalloc byte[] { (byte)'.', (byte)'.', 0 };
        fill(buffer, dot, null, 0, 0);
        fill(buffer, dotDot, null, 0, 0);
        byte[] name = s_state!.FileName;
        byte* entry = stackalloc byte[name.Length + 1];
        name.CopyTo(new Span<byte>(entry, name.Length));
        entry[name.Length] = 0;
        fill(buffer, entry, null, 0, 0);
        return 0;
    }

    [UnmanagedCallersOnly]
    private static int MkNod(byte* path, uint mode, ulong device) => -FuseNative.EROFS;

    [UnmanagedCallersOnly]
    private static int MkDir(byte* path, uint mode) => -FuseNative.EROFS;

    [UnmanagedCallersOnly]
    private static int Unlink(byte* path) => -FuseNative.EROFS;

    [UnmanagedCallersOnly]
    private static int RmDir(byte* path) => -FuseNative.EROFS;

    [UnmanagedCallersOnly]
    private static int TwoPaths(byte* first, byte* second) => -FuseNative.EROFS;

    [UnmanagedCallersOnly]
    private static int Rename(byte* from, byte* to, uint flags) => -FuseNative.EROFS;

    [UnmanagedCallersOnly]
    private static int ChMod(byte* path, uint mode, void* fileInfo) => -FuseNative.EROFS;

    [UnmanagedCallersOnly]
    private static int ChOwn(byte* path, uint uid, uint gid, void* fileInfo) => -FuseNative.EROFS;

    [UnmanagedCallersOnly]
    private static int Truncate(byte* path, long size, void* fileInfo) => -FuseNative.EROFS;

    [UnmanagedCallersOnly]
    private static int Write(byte* path, byte* buffer, nuint size, long offset, void* fileInfo) => -FuseNative.EROFS;

    [UnmanagedCallersOnly]
    private static int SetXAttr(byte* path, byte* name, byte* value, nuint size, int flags) => -FuseNative.EROFS;

    [UnmanagedCallersOnly]
    private static int Create(byte* path, uint mode, void* fileInfo) => -FuseNative.EROFS;

    [UnmanagedCallersOnly]
    private static int UTimeNs(byte* path, void* times, void* fileInfo) => -FuseNative.EROFS;
}
