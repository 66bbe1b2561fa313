using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.IO;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Sources;
using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Registry;

namespace ForensicPipe.Formats.ImageAccess;

/// <summary>
/// Reads an image once, front to back, and hands every piece of data to a callback with its partition
/// offset, in ascending order — imagebackup's <c>blockReader(fn=…)</c> (docs/architecture.md,
/// "Prior art the behaviour follows"). Works from pipes and standard input (partclone). Absent blocks are not passed;
/// the gaps between offsets are them. Memory: one buffer.
/// </summary>
public static class ImageBlockReader
{
    /// <summary>Reads the image at <paramref name="path"/> (<c>-</c> = standard input, taken as partclone),
    /// detecting its format; a file of no known image format is read as a raw partition.</summary>
    public static async Task<BlockReadSummary> ReadAsync(string path, BlockCallback callback, BlockReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        IExtentSource source = OpenSource(path);
        await using (source.ConfigureAwait(false))
        {
            return await ReadAsync(source, callback, options, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads <paramref name="source"/> (not yet opened; opened here, not disposed).</summary>
    public static async Task<BlockReadSummary> ReadAsync(IExtentSource source, BlockCallback callback, BlockReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(callback);
        options ??= new BlockReaderOptions();
        SourceInfo info = await source.OpenAsync(cancellationToken).ConfigureAwait(false);
        IImageVerifier? verifier = options.VerifyChecksums ? source.Verifier : null;
        var log = new VerificationLog();
        long data = 0;
        long absent = 0;
        using var pool = new BufferPool(options.BufferSize);
        await foreach (Extent extent in source.ReadAsync(pool, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                if (extent.Kind == ExtentKind.Data)
                {
                    verifier?.Verify(extent, log);
                    ThrowOnMismatch(info.Path, log);
                    callback(extent.Offset, extent.Span);
                    data += extent.Length;
                }
                else
                {
                    absent += extent.Length;
                }
            }
            finally
            {
                extent.Release();
            }
        }
        if (verifier is not null)
        {
            verifier.Complete(log);
            ThrowOnMismatch(info.Path, log);
        }
        return new BlockReadSummary(info.Format, info.Size ?? data + absent, data, absent, log.Checked);
    }

    /// <summary>The sequential reader for <paramref name="path"/>: the format's reader, or a raw file.</summary>
    internal static IExtentSource OpenSource(string path)
    {
        ImageFormatRegistry formats = ImageFormatRegistry.Default;
        UnixFileKind kind = path == FileSource.StandardInput ? UnixFileKind.Fifo : UnixFile.GetKind(path);
        if (kind is UnixFileKind.Fifo or UnixFileKind.CharacterDevice or UnixFileKind.Socket)
        {
            // A pipe is read once: detection keeps the bytes it read for the reader.
            return formats.Open(path).OpenSource();
        }
        byte[] probe = new byte[RandomAccessImage.ProbeSize];
        int length;
        try
        {
            using FileStream stream = File.OpenRead(path);
            length = stream.ReadAtLeast(probe, probe.Length, throwOnEndOfStream: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DeviceIOException(path, 0, $"cannot open the image: {ex.Message}", ex);
        }
        ImageFormat? format = formats.IdentifyForRandomAccess(path, probe.AsSpan(0, length));
        return format is null ? new FileSource(path) : format.OpenSequential(SequentialImage.Open(path));
    }

    private static void ThrowOnMismatch(string path, VerificationLog log)
    {
        if (log.MismatchCount > 0)
        {
            ChecksumResult first = log.Mismatches.First(result => !result.Matches);
            throw new VerificationMismatchException($"{path}: {first}");
        }
    }
}
