using System.CommandLine;

namespace ForensicPipe.Cli.Commands;

/// <summary>Options shared by the verbs that run jobs.</summary>
internal static class CommonOptions
{
    public static readonly Option<bool> Quiet = new("--quiet", "-q")
    {
        Description = "No progress bar and no summary on standard error (errors are still printed).",
        Recursive = true,
    };

    public static readonly Option<bool> Overwrite = new("--overwrite")
    {
        Description = "Replace an existing output, report and sidecars.",
    };

    public static readonly Option<string?> Report = new("--report")
    {
        Description = "Path of the JSON report (default: OUTPUT.report.json); a .txt rendering goes beside it.",
    };

    public static readonly Option<string?> Hash = new("--hash")
    {
        Description = "Comma-separated digests of the output: md5, sha1, sha256, sha384, sha512.",
    };

    public static readonly Option<long?> Window = new("--window")
    {
        Description = "Also a digest of every BYTES bytes (piecewise hashing, as dcfldd's hashwindow).",
    };

    public static readonly Option<int?> BufferSize = new("--buffer-size")
    {
        Description = "Bytes per pipeline buffer (multiple of 4096; default 1048576).",
    };

    public static JobExecution.Switches Switches(ParseResult parse) =>
        new(parse.GetValue(Quiet), Telemetry.TelemetryOptions.FromCommandLine(parse));

    /// <summary>The hash stage the command line asks for, or null for none.</summary>
    public static Core.Jobs.Specs.HashStageSpec? HashStage(ParseResult parse, string defaultAlgorithms)
    {
        string algorithms = parse.GetValue(Hash) ?? defaultAlgorithms;
        if (algorithms.Length == 0 || algorithms == "none")
        {
            return null;
        }
        return new Core.Jobs.Specs.HashStageSpec
        {
            Algorithms = [.. algorithms.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(name => name.ToLowerInvariant())],
            Window = parse.GetValue(Window),
        };
    }
}
