namespace ForensicPipe.Cli;

/// <summary>The documented exit codes of <c>fpipe</c> (README, "Exit codes").</summary>
internal static class ExitCodes
{
    /// <summary>The job ran and every check passed.</summary>
    public const int Ok = 0;

    /// <summary>The job failed at run time (I/O, corrupt input, a sink).</summary>
    public const int Failed = 1;

    /// <summary>Bad usage or an invalid job; nothing ran.</summary>
    public const int Usage = 2;

    /// <summary>A checksum or hash did not match.</summary>
    public const int Mismatch = 3;

    /// <summary>Cancelled (Ctrl+C, SIGTERM): 128 + SIGINT, as shells report it.</summary>
    public const int Cancelled = 130;
}
