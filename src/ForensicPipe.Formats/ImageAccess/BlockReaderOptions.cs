namespace ForensicPipe.Formats.ImageAccess;

/// <summary>How <see cref="ImageBlockReader"/> reads.</summary>
public sealed record BlockReaderOptions
{
    /// <summary>Check the image's own checksums while reading (partclone CRC groups); the first mismatch
    /// throws <see cref="Core.Errors.VerificationMismatchException"/>. A group is checked when its last block
    /// has been read, so the callback may already have received blocks of a bad group.</summary>
    public bool VerifyChecksums { get; init; }

    /// <summary>Largest piece passed to the callback, in bytes (a multiple of 4096).</summary>
    public int BufferSize { get; init; } = Core.Buffers.BufferPool.DefaultBufferSize;
}
