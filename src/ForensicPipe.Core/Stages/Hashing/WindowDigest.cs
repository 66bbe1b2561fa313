namespace ForensicPipe.Core.Stages.Hashing;

/// <summary>The digest of one hash window (piecewise hash, as dcfldd's <c>hashwindow</c>).</summary>
/// <param name="Offset">First partition byte of the window.</param>
/// <param name="Length">Bytes in the window (the last one may be short).</param>
/// <param name="Digest">Lower-case hex digest.</param>
public sealed record WindowDigest(long Offset, long Length, string Digest);
