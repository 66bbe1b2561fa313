using System.Globalization;
using System.Text.RegularExpressions;

namespace ForensicPipe.Core.Reporting;

/// <summary>
/// Where a run's report is written, decided when the run ends (docs/cli.md, "Reports and re-runs"). A report
/// named after a raw-file output follows the output as it is on disk: <c>OUT.report.json</c> once the output
/// was renamed, <c>OUT.partial.report.json</c> while it is still <c>OUT.partial</c>. An earlier record is never
/// replaced silently: when the name is taken and <c>overwrite</c> was not asked for, the report gets the
/// run's start time in its name (<c>OUT.20261201T143000Z.report.json</c>).
/// </summary>
public static partial class ReportPlacement
{
    /// <summary>Suffix of report names.</summary>
    public const string ReportSuffix = ".report.json";

    private const string JsonSuffix = ".json";

    /// <summary>The time stamp inserted into report names (UTC, to the second, as ISO 8601 basic format).</summary>
    public static string TimeStamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary><paramref name="path"/> with <paramref name="stamp"/> inserted before <c>.report.json</c>
    /// (or <c>.json</c>), or appended.</summary>
    public static string WithTimeStamp(string path, string stamp)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (string suffix in new[] { ReportSuffix, JsonSuffix })
        {
            if (path.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return $"{path[..^suffix.Length]}.{stamp}{path[^suffix.Length..]}";
            }
        }
        return $"{path}.{stamp}";
    }

    /// <summary>The report path of a run, chosen when it ends.</summary>
    /// <param name="requested">The path the job asks for, or derives from its first raw-file output.</param>
    /// <param name="followsOutput">The path was derived from a raw-file output (<c>OUT.report.json</c>).</param>
    /// <param name="outputCommitted">That output was renamed to its final name.</param>
    /// <param name="overwrite">An existing report at the chosen name may be replaced.</param>
    /// <param name="started">The run's start, for a time-stamped name.</param>
    public static string Choose(string requested, bool followsOutput, bool outputCommitted, bool overwrite, DateTimeOffset started)
    {
        ArgumentException.ThrowIfNullOrEmpty(requested);
        string path = requested;
        if (followsOutput && !outputCommitted && path.EndsWith(ReportSuffix, StringComparison.Ordinal))
        {
            path = path[..^ReportSuffix.Length] + Sinks.RawFileSink.PartialSuffix + ReportSuffix;
        }
        if (overwrite || !Taken(path))
        {
            return path;
        }
        // A name that already carries a time stamp (verify's, a device restore's) gets a counter on it instead.
        Match existing = StampInName().Match(path);
        string stamp = existing.Success ? existing.Groups[1].Value : TimeStamp(started);
        string Variant(string text) => existing.Success
            ? string.Concat(path.AsSpan(0, existing.Groups[1].Index), text, path.AsSpan(existing.Index + existing.Length - 1))
            : WithTimeStamp(path, text);
        string stamped = existing.Success ? Variant($"{stamp}-2") : Variant(stamp);
        for (int attempt = existing.Success ? 3 : 2; Taken(stamped); attempt++)
        {
            stamped = Variant($"{stamp}-{attempt.ToString(CultureInfo.InvariantCulture)}");
        }
        return stamped;
    }

    [GeneratedRegex(@"\.(\d{8}T\d{6}Z)(?:-\d+)?\.", RegexOptions.CultureInvariant | RegexOptions.RightToLeft)]
    private static partial Regex StampInName();

    /// <summary>Whether a report or its text rendering already exists under this name.</summary>
    public static bool Taken(string jsonPath) =>
        File.Exists(jsonPath) || Directory.Exists(jsonPath) || File.Exists(EvidenceReport.TextPathFor(jsonPath));
}
