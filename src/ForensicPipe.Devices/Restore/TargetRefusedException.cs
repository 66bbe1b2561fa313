using ForensicPipe.Core.Errors;

namespace ForensicPipe.Devices.Restore;

/// <summary>A restore target that may not be written (mounted, in use, too small, the source itself, not a
/// block device). Raised before anything is written; the sink turns it into a job refusal (exit 2).</summary>
public sealed class TargetRefusedException : ForensicPipeException
{
    /// <summary>Creates the refusal with a one-line reason.</summary>
    public TargetRefusedException(string message) : base(message) { }
}
