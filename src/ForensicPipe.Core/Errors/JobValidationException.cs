namespace ForensicPipe.Core.Errors;

/// <summary>
/// A job (file or CLI arguments) is invalid: malformed JSON, an unknown type, an unknown field, a wrong
/// type or an impossible value, or it would clobber existing output. Nothing has run. Exit code 2.
/// </summary>
public sealed class JobValidationException : ForensicPipeException
{
    /// <summary>Creates the error; the message reads "FILE: PATH: DETAIL".</summary>
    public JobValidationException(string file, string jsonPath, string detail, Exception? innerException = null)
        : base($"{file}: {jsonPath}: {detail}", innerException)
    {
        File = file;
        JsonPath = jsonPath;
    }

    /// <summary>The job file name, or a stand-in such as <c>(command line)</c>.</summary>
    public string File { get; }

    /// <summary>The JSON path of the offending value, e.g. <c>$.stages[0].window</c>.</summary>
    public string JsonPath { get; }
}
