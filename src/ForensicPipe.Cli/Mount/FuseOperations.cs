using System.Runtime.InteropServices;

namespace ForensicPipe.Cli.Mount;

/// <summary>
/// The first 33 members of libfuse 3's <c>struct fuse_operations</c>, in header order (fuse.h), up to
/// <c>utimens</c>. <c>fuse_new</c> takes the size of the struct the caller knows, so the later members stay
/// unset. Unset operations answer ENOSYS.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FuseOperations
{
    public delegate* unmanaged<byte*, byte*, void*, int> GetAttr;
    public void* ReadLink;
    public delegate* unmanaged<byte*, uint, ulong, int> MkNod;
    public delegate* unmanaged<byte*, uint, int> MkDir;
    public delegate* unmanaged<byte*, int> Unlink;
    public delegate* unmanaged<byte*, int> RmDir;
    public delegate* unmanaged<byte*, byte*, int> SymLink;
    public delegate* unmanaged<byte*, byte*, uint, int> Rename;
    public delegate* unmanaged<byte*, byte*, int> Link;
    public delegate* unmanaged<byte*, uint, void*, int> ChMod;
    public delegate* unmanaged<byte*, uint, uint, void*, int> ChOwn;
    public delegate* unmanaged<byte*, long, void*, int> Truncate;
    public delegate* unmanaged<byte*, void*, int> Open;
    public delegate* unmanaged<byte*, byte*, nuint, long, void*, int> Read;
    public delegate* unmanaged<byte*, byte*, nuint, long, void*, int> Write;
    public void* StatFs;
    public void* Flush;
    public void* Release;
    public void* FSync;
    public delegate* unmanaged<byte*, byte*, byte*, nuint, int, int> SetXAttr;
    public void* GetXAttr;
    public void* ListXAttr;
    public delegate* unmanaged<byte*, byte*, int> RemoveXAttr;
    public void* OpenDir;
    public delegate* unmanaged<byte*, void*, delegate* unmanaged<void*, byte*, void*, long, int, int>, long, void*, int, int> ReadDir;
    public void* ReleaseDir;
    public void* FSyncDir;
    public void* Init;
    public void* Destroy;
    public void* Access;
    public delegate* unmanaged<byte*, uint, void*, int> Create;
    public void* Lock;
    public delegate* unmanaged<byte*, void*, void*, int> UTimeNs;
}
