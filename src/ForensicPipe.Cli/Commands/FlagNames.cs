using System.Text.RegularExpressions;
using ForensicPipe.Core.Errors;

namespace ForensicPipe.Cli.Commands;

/// <summary>
/// Says a refusal of a job built from the command line in the command line's words: the JSON path of the
/// offending value becomes the flag or argument that set it (<c>$.sinks[0].confirm</c> → <c>--yes</c>), and
/// "set "overwrite": true (or --overwrite)" becomes "add --overwrite".
/// </summary>
internal static partial class FlagNames
{
    private static readonly (Regex Path, string Flag)[] s_flags =
    [
        (Field("bufferSize"), "--buffer-size"),
        (Field(@"stages\[\d+\]\.window"), "--window"),
        (Field(@"stages\[\d+\]\.algorithms(\[\d+\])?"), "--hash"),
        (Field(@"stages\[\d+\]\.pattern"), "--fill"),
        (Field(@"stages\[\d+\]\.onMismatch"), "--on-mismatch"),
        (Field(@"source\.reportedSize"), "--reported-size"),
        (Field(@"source\.retries"), "--retries"),
        (Field(@"source\.maxBadSectors"), "--max-bad-sectors"),
        (Field(@"source\.mapfile"), "--mapfile"),
        (Field(@"sinks\[\d+\]\.confirm"), "--yes"),
        (Field(@"sinks\[\d+\]\.offset"), "--offset"),
        (Field(@"sinks\[\d+\]\.split"), "--split"),
        (Field(@"sinks\[\d+\]\.verify"), "--verify"),
        (Field(@"sinks\[\d+\]\.compression"), "--compression"),
        (Field(@"sinks\[\d+\]\.segmentSize"), "--segment-size"),
        (Field(@"sinks\[\d+\]\.sectorsPerChunk"), "--sectors-per-chunk"),
        (Field(@"sinks\[\d+\]\.(sparse|sync|overwrite)"), "DST"),
        (Field(@"report\.path"), "--report"),
        (Field(@"telemetry\.otlpEndpoint"), "--otlp-endpoint"),
    ];

    /// <summary>The error in command-line terms. <paramref name="source"/> and <paramref name="output"/> name the
    /// command's positional arguments (SRC, IMAGE; DST, OUT).</summary>
    public static JobValidationException Translate(JobValidationException error, string source, string output)
    {
        ArgumentNullException.ThrowIfNull(error);
        string prefix = $"{error.File}: {error.JsonPath}: ";
        string detail = error.Message.StartsWith(prefix, StringComparison.Ordinal) ? error.Message[prefix.Length..] : error.Message;
        detail = JsonSetting().Replace(detail, "add $1");
        string? flag = s_flags.FirstOrDefault(entry => entry.Path.IsMatch(error.JsonPath)).Flag;
        if (flag == "DST")
        {
            flag = output;
        }
        flag ??= error.JsonPath switch
        {
            var path when path.StartsWith("$.source", StringComparison.Ordinal) => source,
            var path when path.StartsWith("$.sinks", StringComparison.Ordinal) => output,
            _ => null,
        };
        // Refusals that name a file (an existing output) keep the file; everything else is said as the flag.
        return flag is null
            ? new JobValidationException(error.File.StartsWith('(') || error.File.StartsWith("fpipe ", StringComparison.Ordinal) ? CommonOptions.CommandLine : error.File,
                error.JsonPath == "$" ? "" : error.JsonPath, detail, error)
            : new JobValidationException(CommonOptions.CommandLine, flag, detail, error);
    }

    /// <summary>The line to print for a refusal: "--flag: detail", or "FILE: detail".</summary>
    public static string Describe(JobValidationException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        string prefix = $"{error.File}: {error.JsonPath}: ";
        string detail = error.Message.StartsWith(prefix, StringComparison.Ordinal) ? error.Message[prefix.Length..] : error.Message;
        // "$" (the whole job) says nothing a file name does not.
        string at = error.JsonPath == "$" ? "" : error.JsonPath;
        string where = error.File == CommonOptions.CommandLine ? at
            : at.Length == 0 ? error.File : $"{error.File}: {at}";
        return where.Length == 0 ? detail : $"{where}: {detail}";
    }

    private static Regex Field(string pattern) => new($@"^\$\.{pattern}$", RegexOptions.CultureInvariant);

    [GeneratedRegex(@"set ""\w+"": true[^()]*\(or (--[\w-]+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex JsonSetting();
}
