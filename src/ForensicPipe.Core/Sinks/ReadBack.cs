using System.Runtime.InteropServices;
using ForensicPipe.Core.IO;
using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Core.Sinks;

/// <summary>
/// Reads a written file back past the page cache and digests it, for <c>verify</c> on raw-file outputs (as
/// dc3dd's <c>hof=</c>): with <c>O_DIRECT</c> where the file system allows it, otherwise after <c>fdatasync</c>
/// and <c>posix_fadvise(POSIX_FADV_DONTNEED)</c> (tmpfs keeps its pages: there the read is of memory, and
/// the report says so). docs/cli.md, "--verify".
/// </summary>
internal static class ReadBack
{
    private const int ChunkSize = 1 << 20;

    /// <summary>Buffer address alignment of direct reads (the largest logical sector).</summary>
    private const int Alignment = 4096;

    /// <summary>How the last file was read: <c>O_DIRECT</c>, <c>page cache dropped</c>, or <c>page cache</c>.</summary>
    public sealed record Result(IReadOnlyDictionary<string, string> Digests, long Bytes, string Mode);

    /// <summary>Digests <paramref name="path"/> in <paramref name="algorithms"/>.</summary>
    public static unsafe Result Digest(string path, IEnumerable<string> algorithms, CancellationToken cancellationToken)
    {
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        string mode;
        if (DirectIo.TrySet(handle, direct: true))
        {
            mode = "O_DIRECT";
        }
        else
        {
            RandomAccess.FlushToDisk(handle);
            mode = FileDurability.DropCache(handle) ? "page cache dropped (posix_fadvise DONTNEED), then read" : "page cache (could not be bypassed)";
        }
        using var digests = new DigestSet(algorithms);
        byte* buffer = (byte*)NativeMemory.AlignedAlloc(ChunkSize, Alignment);
        try
        {
            var span = new Span<byte>(buffer, ChunkSize);
            long length = RandomAccess.GetLength(handle);
            long offset = 0;
            // A direct read at an unaligned offset fails with EINVAL: stop at the length instead of reading past it.
            while (offset < length)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int read = RandomAccess.Read(handle, span, offset);
                if (read <= 0)
                {
                    break;
                }
                digests.Append(span[..read]);
                offset += read;
            }
            return new Result(digests.Finish(), offset, mode);
        }
        finally
        {
            NativeMemory.AlignedFree(buffer);
        }
    }
}
