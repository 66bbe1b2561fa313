namespace ForensicPipe.Fuzz.Targets;

/// <summary>
/// A format target whose input has its checksums recomputed before it is read: a fuzzer cannot guess a CRC, sum or
/// Adler-32, so without this a mutated field stops at the checksum that guards it and the checks behind it are never
/// tried. It shares the seeds of the target it wraps.
/// </summary>
public abstract class ChecksumFixupTarget : FuzzTarget
{
    private readonly ImageFormatTarget _inner;

    /// <summary>A target that fixes the checksums, then runs <paramref name="inner"/>.</summary>
    protected ChecksumFixupTarget(ImageFormatTarget inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
    }

    /// <inheritdoc />
    public override string CorpusName => _inner.Name;

    /// <inheritdoc />
    public override void Run(ReadOnlySpan<byte> input, FuzzScratch scratch)
    {
        byte[] image = input.ToArray();
        FixChecksums(image);
        _inner.Run(image, scratch);
    }

    /// <summary>Recomputes, in place, every checksum of <paramref name="image"/> that its own fields lead to.</summary>
    protected abstract void FixChecksums(byte[] image);
}
