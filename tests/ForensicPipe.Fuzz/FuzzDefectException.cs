namespace ForensicPipe.Fuzz;

/// <summary>A defect the harness itself detects (an allocation beyond the limit): a crash for afl-fuzz.</summary>
public sealed class FuzzDefectException : Exception
{
    /// <summary>Creates the defect with its one-line description.</summary>
    public FuzzDefectException(string message) : base(message) { }

    /// <summary>Creates the defect with its one-line description and cause.</summary>
    public FuzzDefectException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the defect.</summary>
    public FuzzDefectException() { }
}
