namespace ForensicPipe.Core.Jobs;

/// <summary>How a job ended. The CLI's exit code follows from it.</summary>
public enum JobStatus
{
    /// <summary>Everything ran and every check passed (exit 0).</summary>
    Succeeded,

    /// <summary>Something failed at run time: I/O, corrupt input, a sink (exit 1).</summary>
    Failed,

    /// <summary>A checksum or hash did not match (exit 3).</summary>
    Mismatch,

    /// <summary>The user cancelled (exit 130).</summary>
    Cancelled,
}
