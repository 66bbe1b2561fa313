using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Verification;

namespace ForensicPipe.Formats.Ntfsclone;

/// <summary>
/// ntfsclone images carry no checksums (docs/formats/ntfsclone.md), so there is nothing to compare: the reader itself
/// checks the structure (record types, gap counts, cluster bounds) and completeness (where the records end), and fails
/// the job on any fault. This verifier exists so that <c>fpipe verify</c> and verify stages run and the report says
/// exactly that.
/// </summary>
internal sealed class NtfscloneVerifier : IImageVerifier
{
    public string Method =>
        "ntfsclone images have no checksums: the record structure and completeness were checked, the cluster contents cannot be";

    public void Verify(Extent extent, VerificationLog log)
    {
    }

    public void Complete(VerificationLog log)
    {
    }
}
