using System.CommandLine;
using System.CommandLine.Parsing;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Stages.Fill;
using ForensicPipe.Core.Stages.Hashing;

namespace ForensicPipe.Cli.Commands;

/// <summary>Options shared by the verbs that run jobs. Every value is parsed here, so that a mistake is
/// reported with the flag's name and the accepted forms, never a .NET type or a job file's JSON path.</summary>
internal static class CommonOptions
{
    /// <summary>The stand-in file name of jobs built from the command line.</summary>
    public const string CommandLine = "(command line)";

    public static readonly Option<bool> Quiet = new("--quiet", "-q")
    {
        Description = "No progress bar and no summary on standard error (errors and warnings are still printed).",
        Recursive = true,
    };

    /// <summary>Replace an earlier output, its report and sidecars.</summary>
    public static Option<bool> Overwrite() => new("--overwrite")
    {
        Description = "Replace an existing output together with its report and sidecars (without it an existing output is refused; " +
            "a report whose name is taken gets a time-stamped name instead).",
    };

    public static Option<string?> Report(string description) => new("--report") { Description = description };

    public static Option<string?> Hash(string defaultAlgorithms) => new("--hash")
    {
        Description = $"Comma-separated digests of the stream: {string.Join(", ", HashAlgorithmKind.Names)}, or none (default: {defaultAlgorithms}).",
        CustomParser = ParseHash,
    };

    public static Option<long?> Window() => new("--window")
    {
        Description = "Also a digest of every SIZE bytes (piecewise hashing, as dcfldd's hashwindow); SIZE as 4096, 64K, 1M, 1GiB.",
        CustomParser = result => SizeText.Parse(result, "--window"),
    };

    public static Option<long?> BufferSize() => new("--buffer-size")
    {
        Description = "Bytes per pipeline buffer: a multiple of 4096 from 4K to 64M (default 1M).",
        CustomParser = result => SizeText.Parse(result, "--buffer-size"),
    };

    public static Option<string?> Log() => new("--log")
    {
        Description = "Append a session record to FILE: the command line, start and end (UTC), every message, the outcome and exit code.",
    };

    public static Option<bool> Sync() => new("--sync")
    {
        Description = "fsync the output (each piece with --split) before it is renamed, and its folder after the rename.",
    };

    public static Option<long?> Split() => new("--split")
    {
        Description = "Write the output as pieces of SIZE bytes (NAME.001, NAME.002, …; at least 4K), with digests and sidecar lines per piece.",
        CustomParser = result => SizeText.Parse(result, "--split"),
    };

    /// <summary>The case metadata options, in the order of the report's <c>case</c> section.</summary>
    public static CaseOptions Case() => new(
        new Option<string?>("--case-number") { Description = "Case number, copied into the report's case section." },
        new Option<string?>("--evidence-number") { Description = "Evidence number (item) of the source." },
        new Option<string?>("--examiner") { Description = "Examiner's name." },
        new Option<string?>("--description") { Description = "What the evidence is." },
        new Option<string?>("--notes") { Description = "Free text." });

    /// <summary>The five case options of one command.</summary>
    internal sealed record CaseOptions(Option<string?> Number, Option<string?> Evidence, Option<string?> Examiner,
        Option<string?> Description, Option<string?> Notes)
    {
        public IEnumerable<Option> All => [Number, Evidence, Examiner, Description, Notes];

        /// <summary>The case spec, fields from the command line over <paramref name="job"/>'s; null when neither has any.</summary>
        public CaseSpec? Read(ParseResult parse, CaseSpec? job = null)
        {
            var spec = new CaseSpec
            {
                Number = parse.GetValue(Number) ?? job?.Number,
                Evidence = parse.GetValue(Evidence) ?? job?.Evidence,
                Examiner = parse.GetValue(Examiner) ?? job?.Examiner,
                Description = parse.GetValue(Description) ?? job?.Description,
                Notes = parse.GetValue(Notes) ?? job?.Notes,
            };
            return spec is { Number: null, Evidence: null, Examiner: null, Description: null, Notes: null } ? null : spec;
        }
    }

    /// <summary>The fill patterns of <c>--fill</c>; <paramref name="sparse"/> adds <c>sparse</c>.</summary>
    public static string? ParseFill(ArgumentResult result, bool sparse)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        string lower = text.ToLowerInvariant();
        if ((sparse && lower == "sparse") || FillPattern.TryParse(lower, out _) is not null)
        {
            return lower;
        }
        result.AddError($"--fill: '{text}' is not {(sparse ? "deadbeef, zero, sparse" : "zero, deadbeef")} or 1 to {FillPattern.MaxLength} bytes of hex such as 0xfeedface");
        return null;
    }

    public static JobExecution.Switches Switches(ParseResult parse) =>
        new(parse.GetValue(Quiet), Telemetry.TelemetryOptions.FromCommandLine(parse));

    /// <summary>The option of the running command named <paramref name="name"/> (for code shared by several commands,
    /// each of which has its own instance of the option).</summary>
    public static Option<T> OptionOf<T>(ParseResult parse, string name) =>
        parse.CommandResult.Command.Options.OfType<Option<T>>().First(option => option.Name == name);

    /// <summary>The hash stage the command line asks for, or null for none.</summary>
    public static HashStageSpec? HashStage(ParseResult parse, Option<string?> hash, Option<long?> window, string defaultAlgorithms)
    {
        string algorithms = parse.GetValue(hash) ?? defaultAlgorithms;
        if (algorithms.Length == 0 || algorithms == "none")
        {
            if (parse.GetResult(window) is { Implicit: false })
            {
                throw new JobValidationException(CommandLine, "--window", "needs digests: name them with --hash");
            }
            return null;
        }
        return new HashStageSpec { Algorithms = [.. Names(algorithms)], Window = parse.GetValue(window) };
    }

    /// <summary>The buffer size asked for, checked as the job would check it but naming the flag.</summary>
    public static int? BufferSizeOf(ParseResult parse, Option<long?> option)
    {
        if (parse.GetValue(option) is not long size)
        {
            return null;
        }
        const int min = 4096, max = 64 << 20;
        if (size < min || size > max || size % min != 0)
        {
            throw new JobValidationException(CommandLine, "--buffer-size", $"{size} is not a multiple of 4096 from 4K to 64M");
        }
        return (int)size;
    }

    private static IEnumerable<string> Names(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(name => name.ToLowerInvariant());

    private static string? ParseHash(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (text.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return "none";
        }
        var seen = new HashSet<string>();
        foreach (string name in Names(text))
        {
            if (!HashAlgorithmKind.IsKnown(name))
            {
                result.AddError($"--hash: unknown algorithm '{name}'; known: {string.Join(", ", HashAlgorithmKind.Names)}, or none");
                return null;
            }
            if (!seen.Add(name))
            {
                result.AddError($"--hash: '{name}' is named twice");
                return null;
            }
        }
        if (seen.Count == 0)
        {
            result.AddError($"--hash: name at least one of {string.Join(", ", HashAlgorithmKind.Names)}, or none");
            return null;
        }
        return string.Join(',', seen);
    }
}
