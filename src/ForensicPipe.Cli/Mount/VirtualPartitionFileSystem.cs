using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using ForensicPipe.Formats.ImageAccess;

namespace ForensicPipe.Cli.Mount;

/// <summary>
/// The FUSE file system of <c>fpipe mount</c>: a root directory holding one read-only file, the reconstructed
/// partition of the image (for a Clonezilla folder: the disk and one file per partition). libfuse calls the
/// operations from its worker threads; reads go straight to <see cref="IRandomAccessImage.Read"/>, which is thread-safe. Every operation that would change anything
/// answers EROFS (the mount is also read-only, so the kernel refuses most of them before asking).
/// One file system per process: libfuse's C callbacks reach it through a static field.
/// </summary>
internal static unsafe class VirtualPartitionFileSystem
{
    private static State? s_state;

    /// <summary>What the callbacks serve: one file, or several (a disk and its partitions, <c>fpipe mount FOLDER</c>).</summary>
    internal sealed class State
    {
        public State(IRandomAccessImage image, string fileName, long modifiedSeconds)
            : this([(fileName, image)], modifiedSeconds)
        {
        }

        public State(IReadOnlyList<(string Name, IRandomAccessImage Image)> files, long modifiedSeconds)
        {
            Files = [.. files.Select(file => new VirtualFile(file.Image, Encoding.UTF8.GetBytes(file.Name), Encoding.UTF8.GetBytes("/" + file.Name)))];
            ModifiedSeconds = modifiedSeconds;
        }

        /// <summary>The first (or only) file's image.</summary>
        public IRandomAccessImage Image => Files[0].Image;

        public VirtualFile[] Files { get; }

        public long ModifiedSeconds { get; }

        public uint Uid { get; } = FuseNative.GetEffectiveUserId();

        public uint Gid { get; } = FuseNative.GetEffectiveGroupId();

        public long ReadErrors;

        /// <summary>The file at <paramref name="path"/>, or null.</summary>
        public VirtualFile? Find(byte* path)
        {
            ReadOnlySpan<byte> name = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(path);
            foreach (VirtualFile file in Files)
            {
                if (name.SequenceEqual(file.FilePath))
                {
                    return file;
                }
            }
            return null;
        }
    }

    /// <summary>One read-only file of the root directory.</summary>
    internal sealed record VirtualFile(IRandomAccessImage Image, byte[] FileName, byte[] FilePath);

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

    [UnmanagedCallersOnly]
    private static int GetAttr(byte* path, byte* stat, void* fileInfo)
    {
        State state = s_state!;
        if (IsRoot(path))
        {
            StatLayout.Write(stat, StatLayout.DirectoryMode | 0x16D /* 0555 */, 2, 0, state.Uid, state.Gid, state.ModifiedSeconds);
            return 0;
        }
        if (state.Find(path) is VirtualFile file)
        {
            StatLayout.Write(stat, StatLayout.RegularMode | 0x124 /* 0444 */, 1, file.Image.Length, state.Uid, state.Gid, state.ModifiedSeconds);
            return 0;
        }
        return -FuseNative.ENOENT;
    }

    [UnmanagedCallersOnly]
    private static int Open(byte* path, void* fileInfo)
    {
        if (s_state!.Find(path) is null)
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
        if (state.Find(path) is not VirtualFile file)
        {
            return -FuseNative.ENOENT;
        }
        try
        {
            return file.Image.Read(offset, new Span<byte>(buffer, checked((int)size)));
        }
        catch (Exception ex)
        {
            // The reading program sees EIO; the reason, with the image offset, goes to standard error.
            if (Interlocked.Increment(ref state.ReadErrors) <= 100)
            {
                Commands.MountCommand.Log($"fpipe: read of {size} bytes at byte {offset} of {Encoding.UTF8.GetString(file.FileName)} failed: {ex.Message}");
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
        foreach (VirtualFile file in s_state!.Files)
        {
            byte[] name = file.FileName;
            byte[] entry = new byte[name.Length + 1];
            name.CopyTo(entry, 0);
            fixed (byte* text = entry)
            {
                fill(buffer, text, null, 0, 0);
            }
        }
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
