namespace ForensicPipe.Core.Errors;

/// <summary>
/// A checksum or hash did not match what was expected. The CLI maps it to exit code 3.
/// </summary>
public sealed class VerificationMismatchException : ForensicPipeException
{
    /// <summary>Creates the error with a one-line description of the mismatch and where it is.</summary>
    public VerificationMismatchException(string message) : base(message) { }
}
