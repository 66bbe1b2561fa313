using System.Text.Json.Nodes;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;

namespace ForensicPipe.Core.Stages.Verify;

/// <summary>
/// Checks the image's own checksums on its own block (its own core) as the extents pass, with the
/// source's <see cref="IImageVerifier"/>. Extents pass through unchanged.
/// </summary>
public sealed class VerifyStage : IExtentStage
{
    private readonly IImageVerifier _verifier;
    private readonly MismatchPolicy _policy;

    /// <summary>Creates the stage over the source's verifier; results go to <paramref name="log"/>.</summary>
    public VerifyStage(IImageVerifier verifier, MismatchPolicy policy, VerificationLog log)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(log);
        _verifier = verifier;
        _policy = policy;
        Log = log;
    }

    /// <summary>What the image's verifier checks, in one line.</summary>
    public string Method => _verifier.Method;

    /// <inheritdoc />
    public string Name => "verify";

    /// <inheritdoc />
    /// <remarks>Checksumming every byte is a core's worth of work.</remarks>
    public bool RunsInline => false;

    /// <summary>Every comparison made (shared with the reader's header checks).</summary>
    public VerificationLog Log { get; }

    /// <inheritdoc />
    public async ValueTask ProcessAsync(Extent extent, IExtentWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(extent);
        ArgumentNullException.ThrowIfNull(output);
        long before = Log.MismatchCount;
        _verifier.Verify(extent, Log);
        ThrowOnNewMismatch(before);
        extent.Retain();
        await output.WriteAsync(extent, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask CompleteAsync(IExtentWriter output, CancellationToken cancellationToken)
    {
        long before = Log.MismatchCount;
        _verifier.Complete(Log);
        ThrowOnNewMismatch(before);
        return ValueTask.CompletedTask;
    }

    private void ThrowOnNewMismatch(long before)
    {
        if (_policy == MismatchPolicy.Fail && Log.MismatchCount > before)
        {
            // The first group that failed in this extent: one extent can span several damaged groups, and the
            // one to name is the first damage in stream order.
            IReadOnlyList<ChecksumResult> mismatches = Log.Mismatches;
            ChecksumResult first = before < mismatches.Count ? mismatches[(int)before] : mismatches[^1];
            throw new VerificationMismatchException($"checksum mismatch: {first}");
        }
    }

    /// <inheritdoc />
    public JsonObject Describe() => new()
    {
        ["method"] = _verifier.Method,
        ["onMismatch"] = _policy == MismatchPolicy.Fail ? "fail" : "record",
    };
}
