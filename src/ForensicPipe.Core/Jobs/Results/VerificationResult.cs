using ForensicPipe.Core.Verification;

namespace ForensicPipe.Core.Jobs.Results;

/// <summary>The outcome of a verify stage: what its checksums cover, how many were checked, the mismatches.</summary>
/// <param name="Method">What the image's own checksums cover, in one line.</param>
/// <param name="Checked">Checksums compared.</param>
/// <param name="MismatchCount">Checksums that did not match.</param>
/// <param name="Mismatches">The mismatches kept, first first (at most <see cref="VerificationLog.MaxMismatchesKept"/>).</param>
/// <param name="Passed">Every checksum matched and the job succeeded.</param>
public sealed record VerificationResult(string Method, long Checked, long MismatchCount, IReadOnlyList<ChecksumResult> Mismatches, bool Passed);
