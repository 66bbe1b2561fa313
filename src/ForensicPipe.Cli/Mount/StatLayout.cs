using System.Runtime.InteropServices;

namespace ForensicPipe.Cli.Mount;

/// <summary>
/// Writes <c>struct stat</c> as the C library of this process lays it out: x86-64 (glibc
/// bits/struct_stat.h: 144 bytes, st_nlink 64-bit before st_mode) or the generic layout of arm64
/// (asm-generic/stat.h: 128 bytes, st_mode before a 32-bit st_nlink).
/// </summary>
internal static unsafe class StatLayout
{
    internal const uint DirectoryMode = 0x4000; // S_IFDIR
    internal const uint RegularMode = 0x8000; // S_IFREG

    private static readonly bool s_x64 = RuntimeInformation.ProcessArchitecture == Architecture.X64;

    /// <summary>Whether the layout of this architecture is known.</summary>
    public static bool Supported => RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    public static void Write(byte* stat, uint mode, uint links, long size, uint uid, uint gid, long modifiedSeconds)
    {
        new Span<byte>(stat, s_x64 ? 144 : 128).Clear();
        if (s_x64)
        {
            *(ulong*)(stat + 16) = links;
            *(uint*)(stat + 24) = mode;
            *(uint*)(stat + 28) = uid;
            *(uint*)(stat + 32) = gid;
            *(long*)(stat + 56) = 4096;
        }
        else
        {
            *(uint*)(stat + 16) = mode;
            *(uint*)(stat + 20) = links;
            *(uint*)(stat + 24) = uid;
            *(uint*)(stat + 28) = gid;
            *(int*)(stat + 56) = 4096;
        }
        *(long*)(stat + 48) = size;
        *(long*)(stat + 64) = (size + 511) / 512;
        // st_atim, st_mtim, st_ctim: { seconds, nanoseconds } at 72, 88, 104 in both layouts.
        *(long*)(stat + 72) = modifiedSeconds;
        *(long*)(stat + 88) = modifiedSeconds;
        *(long*)(stat + 104) = modifiedSeconds;
    }
}
