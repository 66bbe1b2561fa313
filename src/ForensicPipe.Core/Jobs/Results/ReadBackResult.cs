namespace ForensicPipe.Core.Jobs.Results;

/// <summary>A sink's read-back check: the digest of what was sent and of what was read back.</summary>
/// <param name="Algorithm">The digest algorithm (<c>sha256</c>).</param>
/// <param name="SentDigest">Digest of the bytes sent to the target.</param>
/// <param name="ReadBackDigest">Digest of the bytes read back, or null when the read-back did not run.</param>
public sealed record ReadBackResult(string Algorithm, string SentDigest, string? ReadBackDigest)
{
    /// <summary>Whether the read-back ran and found the same bytes.</summary>
    public bool Match => ReadBackDigest is not null && ReadBackDigest == SentDigest;
}
