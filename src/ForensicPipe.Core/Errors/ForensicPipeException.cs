namespace ForensicPipe.Core.Errors;

/// <summary>
/// Root of every error the pipeline reports on purpose. Its message is one line that says what went
/// wrong and where; the CLI prints it as it is and maps the subtype to an exit code.
/// </summary>
public class ForensicPipeException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public ForensicPipeException(string message) : base(message) { }

    /// <summary>Creates the exception with a one-line message and the error that caused it.</summary>
    public ForensicPipeException(string message, Exception? innerException) : base(message, innerException) { }
}
