using ForensicPipe.Core.Stages.Fill;

namespace ForensicPipe.Formats.ImageAccess;

/// <summary>How <see cref="RandomAccessImage.OpenAsync"/> opens an image for random access.</summary>
public sealed record RandomAccessOptions
{
    /// <summary>Default <see cref="IndexSize"/>: 1024 blocks per index entry, as imagebackup's
    /// <c>--index_size</c> (docs/architecture.md, "Prior art the behaviour follows").</summary>
    public const int DefaultIndexSize = 1024;

    /// <summary>Smallest <see cref="IndexSize"/>: one 64-bit word of the bitmap.</summary>
    public const int MinIndexSize = 64;

    /// <summary>Largest <see cref="IndexSize"/>: 2^20 blocks (128 KiB of bitmap counted per lookup).</summary>
    public const int MaxIndexSize = 1 << 20;

    /// <summary>Blocks (bitmap bits) per entry of a bitmap rank index: a power of two from
    /// <see cref="MinIndexSize"/> to <see cref="MaxIndexSize"/>. The index holds one 64-bit count per entry;
    /// a lookup counts at most this many bits. Doubling it halves the index and doubles the counting.</summary>
    public int IndexSize { get; init; } = DefaultIndexSize;

    /// <summary>Verify the image's stored checksums for every checksum group a read touches, once per group
    /// (partclone CRC-32, XXH64 and XXH3-128 groups). A mismatch fails the read.</summary>
    public bool VerifyReads { get; init; }

    /// <summary>What absent blocks read as; <see cref="FillPattern.Zero"/> by default.</summary>
    public FillPattern Fill { get; init; } = FillPattern.Zero;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when <see cref="IndexSize"/> is not a power of
    /// two in range.</summary>
    public void Validate()
    {
        if (IndexSize is < MinIndexSize or > MaxIndexSize || !int.IsPow2(IndexSize))
        {
            throw new ArgumentOutOfRangeException(nameof(IndexSize), IndexSize,
                $"the index size must be a power of two from {MinIndexSize} to {MaxIndexSize}");
        }
        ArgumentNullException.ThrowIfNull(Fill);
    }
}
