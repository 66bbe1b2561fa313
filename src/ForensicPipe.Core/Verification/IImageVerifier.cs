using ForensicPipe.Core.Extents;

namespace ForensicPipe.Core.Verification;

/// <summary>
/// Checks an image's own checksums (partclone CRC groups, partimage CHK records) from the extents its
/// reader emits, with the stored values the reader attaches as <see cref="Extent.Annotation"/>. A verify
/// stage calls it on its own core, in offset order, one extent at a time.
/// </summary>
public interface IImageVerifier
{
    /// <summary>What the check covers and what it does not, in one line for the report.</summary>
    string Method { get; }

    /// <summary>Feeds one extent and records every checksum that completes inside it.</summary>
    void Verify(Extent extent, VerificationLog log);

    /// <summary>End of the stream: records anything still pending (e.g. a group cut short).</summary>
    void Complete(VerificationLog log);
}
