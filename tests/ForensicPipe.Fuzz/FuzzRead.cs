using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.ImageAccess;
using ForensicPipe.Formats.Registry;

namespace ForensicPipe.Fuzz;

/// <summary>
/// How the targets read what a parser gives: every extent of a sequential reader with its checksums verified, a
/// bounded spread of reads of a random-access image, a decompressed stream. The bounds keep one execution short
/// when a tiny input legitimately describes a huge partition (absent blocks cost nothing; decompression bombs and
/// 16 TiB device sizes are not parser defects): see docs/fuzzing.md, "Bounds".
/// </summary>
public static class FuzzRead
{
    /// <summary>Data bytes (or decompressed bytes) read per input at most.</summary>
    public const long MaxDataBytes = 16L << 20;

    /// <summary>Reads of a random-access image per input when it is larger than <see cref="WholeReadLimit"/>.</summary>
    public const int SpreadReads = 64;

    /// <summary>A random-access image up to this size is read whole.</summary>
    public const long WholeReadLimit = 4L << 20;

    private const int ReadSize = 64 * 1024;

    private const int PoolBufferSize = 256 * 1024;

    // One pool for the process: a new pool per input maps and zeroes a 2 MiB slab (a huge page) per input, which
    // was the largest single cost of a small partclone input. Replaced when an input left buffers out.
    private static BufferPool s_pool = new(PoolBufferSize);

    /// <summary>Opens <paramref name="source"/>, reads every extent (verifying checksums) and disposes of it.</summary>
    public static void DrainSequential(IExtentSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        DrainSequentialAsync(source).AsTask().GetAwaiter().GetResult();
    }

    private static async ValueTask DrainSequentialAsync(IExtentSource source)
    {
        await using (source.ConfigureAwait(false))
        {
            BufferPool pool = s_pool;
            if (pool.Outstanding != 0)
            {
                pool.Dispose();
                pool = s_pool = new BufferPool(PoolBufferSize);
            }
            await source.OpenAsync(CancellationToken.None).ConfigureAwait(false);
            IImageVerifier? verifier = source.Verifier;
            var log = new VerificationLog();
            long data = 0;
            await foreach (Extent extent in source.ReadAsync(pool, CancellationToken.None).ConfigureAwait(false))
            {
                try
                {
                    if (extent.Kind == ExtentKind.Data)
                    {
                        verifier?.Verify(extent, log);
                        data += extent.Length;
                    }
                }
                finally
                {
                    extent.Release();
                }
                if (data > MaxDataBytes)
                {
                    return;
                }
            }
            verifier?.Complete(log);
        }
    }

    /// <summary>Opens <paramref name="path"/> with <paramref name="format"/>'s random-access reader (reads verified) and
    /// reads it whole, or at <see cref="SpreadReads"/> offsets spread over it.</summary>
    public static void ReadRandom(ImageFormat format, string path)
    {
        ArgumentNullException.ThrowIfNull(format);
        IRandomAccessImage image;
        try
        {
            image = Open(format, path, verifyReads: true);
        }
        catch (RandomAccessRefusedException)
        {
            // Images without (restartable) checksums refuse verified reads: they are read unverified.
            image = Open(format, path, verifyReads: false);
        }
        using (image)
        {
            ReadRandom(image);
        }
    }

    private static IRandomAccessImage Open(ImageFormat format, string path, bool verifyReads)
    {
        ImageFile file = ImageFile.Open(path);
        try
        {
            return format.OpenRandomAccessAsync(file, new RandomAccessOptions { VerifyReads = verifyReads }, CancellationToken.None)
                .AsTask().GetAwaiter().GetResult();
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Reads <paramref name="image"/> whole, or at <see cref="SpreadReads"/> offsets spread over it.</summary>
    public static void ReadRandom(IRandomAccessImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        image.Describe();
        byte[] buffer = new byte[ReadSize];
        long length = image.Length;
        if (length <= WholeReadLimit)
        {
            for (long offset = 0; offset < length; offset += ReadSize)
            {
                image.Read(offset, buffer);
            }
        }
        else
        {
            for (int i = 0; i <= SpreadReads; i++)
            {
                // An odd size at an odd offset: reads that straddle blocks and index entries.
                long offset = (long)((UInt128)(ulong)length * (ulong)i / SpreadReads) - 777;
                image.Read(Math.Max(0, offset), buffer.AsSpan(0, ReadSize - 333));
            }
        }
        image.Read(length, buffer.AsSpan(0, 1));
    }

    /// <summary>Reads <paramref name="stream"/> to its end or <see cref="MaxDataBytes"/>, and disposes of it.</summary>
    public static void DrainStream(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using (stream)
        {
            byte[] buffer = new byte[ReadSize];
            long total = 0;
            int got;
            while (total <= MaxDataBytes && (got = stream.Read(buffer)) > 0)
            {
                total += got;
            }
        }
    }

    /// <summary>Runs both readers of one input; the second runs also when the first rejects it. Throws the first
    /// rejection, after both ran.</summary>
    public static void Both(Action first, Action second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ForensicPipeException? rejection = null;
        try
        {
            first();
        }
        catch (ForensicPipeException ex)
        {
            rejection = ex;
        }
        second();
        if (rejection is not null)
        {
            throw rejection;
        }
    }
}
