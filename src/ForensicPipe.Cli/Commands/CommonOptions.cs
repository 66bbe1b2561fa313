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

    public static readonly Option<string?> Telemetry = new("--telemetry")
    {
        Description = "Telemetry exporter: 'console' prints spans and metrics on standard error.",
        Recursive = true,
    };

    public static readonly Option<Uri?> OtlpEndpoint = new("--otlp-endpoint")
    {
        Description = "Send spans and metrics to this OTLP/gRPC endpoint, e.g. http://127.0.0.1:4317.",
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

    public static JobExecution.Switches Switches(ParseResult parse)
    {
        string? telemetry = parse.GetValue(Telemetry);
        if (telemetry is not null and not "console" and not "none")
        {
            throw new Core.Errors.JobValidationException("(command line)", "--telemetry", $"'{telemetry}' is not 'console' or 'none'");
        }
        return new JobExecution.Switches(parse.GetValue(Quiet), telemetry == "console", parse.GetValue(OtlpEndpoint));
    }

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
