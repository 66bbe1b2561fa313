using System.Security.Cryptography;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Sinks;

namespace ForensicPipe.Formats.Ewf;

/// <summary>
/// <c>verify</c> on an E01 output: the segment files just written (still <c>.partial</c>) are flushed, their
/// cached pages dropped (<c>posix_fadvise(POSIX_FADV_DONTNEED)</c>; tmpfs keeps its pages, and the result says
/// so), and the set is read through <see cref="EwfReader"/> — every section checksum, every chunk's zlib stream
/// or Adler-32 — and the MD5 of the media it gives is compared with the MD5 of what the sink was sent.
/// O_DIRECT is not used: the reader reads chunks at unaligned offsets. docs/formats/e01.md, "Writing from the
/// command line".
/// </summary>
internal static class EwfReadBack
{
    private const int BufferSize = 1 << 20;

    /// <summary>What was read back: the MD5 of the media, its length, and how the page cache was bypassed.</summary>
    public sealed record Result(string Md5, long Bytes, string Mode);

    /// <summary>Flushes each file to disk and, when <paramref name="dropCache"/>, drops its cached pages; returns
    /// how the files will be read (for the report).</summary>
    public static string Flush(IEnumerable<string> paths, bool dropCache)
    {
        bool dropped = true;
        foreach (string path in paths)
        {
            using Microsoft.Win32.SafeHandles.SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
            RandomAccess.FlushToDisk(handle);
            dropped &= dropCache && FileDurability.DropCache(handle);
        }
        return dropped ? "page cache dropped (posix_fadvise DONTNEED), then read" : "page cache (could not be bypassed)";
    }

    /// <summary>Reads the set whose segments are named <paramref name="firstPath"/> + <paramref name="suffix"/>, …</summary>
    public static async Task<Result> ReadAsync(string firstPath, string suffix, string mode, CancellationToken cancellationToken)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var pool = new BufferPool(BufferSize);
        long bytes = 0;
        EwfReader reader = EwfReader.OpenWithSuffix(firstPath, suffix);
        await using (reader.ConfigureAwait(false))
        {
            await reader.OpenAsync(cancellationToken).ConfigureAwait(false);
            await foreach (Extent extent in reader.ReadAsync(pool, cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    md5.AppendData(extent.Span);
                    bytes += extent.Length;
                }
                finally
                {
                    extent.Release();
                }
            }
        }
        return new Result(Convert.ToHexStringLower(md5.GetHashAndReset()), bytes, mode);
    }
}
