using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace ForensicPipe.Core.Buffers;

/// <summary>
/// Linux anonymous memory in 2 MiB-aligned blocks advised for transparent huge pages. An O_DIRECT
/// transfer pins every page of its buffer (get_user_pages, one bio segment per page); with one 2 MiB page
/// instead of 512 of 4 KiB the raw-file sink's kernel CPU fell from about 170 ms to 95 ms per 2 GiB on our
/// VM (THP <c>madvise</c>). Blocks are mapped with <c>mmap</c> rather than taken from the C heap: the kernel
/// maps a huge page at a range's first fault only if no 4 KiB page is mapped there yet (later only
/// khugepaged collapses it), which memory recycled by <c>malloc</c> cannot promise, and glibc's
/// <c>aligned_alloc</c> reserves about twice the size to reach a 2 MiB boundary. Constants are from
/// <c>asm-generic/mman-common.h</c>.
/// </summary>
[SupportedOSPlatform("linux")]
internal static unsafe partial class HugePageMemory
{
    /// <summary>Size and alignment of a transparent huge page (a PMD mapping with 4 KiB base pages,
    /// x86-64 and arm64).</summary>
    public const int PageSize = 2 << 20;

    private const int ProtectReadWrite = 0x3;       // PROT_READ | PROT_WRITE
    private const int MapPrivateAnonymous = 0x22;   // MAP_PRIVATE | MAP_ANONYMOUS
    private const int AdviseHugePage = 14;          // MADV_HUGEPAGE
    private static readonly nint s_mapFailed = -1;  // MAP_FAILED

    /// <summary>Maps <paramref name="length"/> bytes (a multiple of <see cref="PageSize"/>) at a
    /// <see cref="PageSize"/> boundary and advises them for huge pages. The memory reads as zeros.</summary>
    public static byte* Allocate(nuint length)
    {
        // Map one huge page more than asked, then unmap the unaligned head and the tail.
        nuint mapped = length + PageSize;
        nint raw = Map(0, mapped, ProtectReadWrite, MapPrivateAnonymous, -1, 0);
        if (raw == s_mapFailed)
        {
            throw new InsufficientMemoryException(
                $"mmap of {mapped} bytes for a buffer slab failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        nuint start = (nuint)raw;
        nuint aligned = (start + PageSize - 1) & ~(nuint)(PageSize - 1);
        if (aligned > start)
        {
            Unmap((nint)start, aligned - start);
        }
        nuint end = aligned + length;
        nuint mappedEnd = start + mapped;
        if (mappedEnd > end)
        {
            Unmap((nint)end, mappedEnd - end);
        }

        // A refused advice costs only speed, never correctness: EINVAL where the kernel was built without
        // THP; with THP "never" the call succeeds and the memory stays in 4 KiB pages. Either way the
        // mapping is ordinary anonymous memory, so the result is ignored.
        _ = Advise((nint)aligned, length, AdviseHugePage);
        return (byte*)aligned;
    }

    /// <summary>Unmaps a block returned by <see cref="Allocate"/>.</summary>
    public static void Free(byte* address, nuint length)
    {
        // munmap fails only for an address or length that Allocate never returned.
        int result = Unmap((nint)address, length);
        System.Diagnostics.Debug.Assert(result == 0, "munmap of a buffer slab failed");
    }

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Map(nint address, nuint length, int protection, int flags, int descriptor, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int Unmap(nint address, nuint length);

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Advise(nint address, nuint length, int advice);
}
