using System.Globalization;
using System.Text.RegularExpressions;

namespace ForensicPipe.Cli.Tests.Telemetry;

/// <summary>Reads the metric points that OpenTelemetry.Exporter.Console prints: <c>Metric Name: NAME, …</c>, then
/// for each point a line <c>(START, END] key: value … </c> followed by <c>Value: N</c>.</summary>
public static class ConsoleMetrics
{
    /// <summary>The sum of the values of every printed point of <paramref name="metric"/> whose tag line contains
    /// <paramref name="tag"/> (<c>fpipe.consumer: md5</c>), over all blocks.</summary>
    public static long Sum(string stderr, string metric, string tag)
    {
        List<(int At, string Name)> names = [.. Regex.Matches(stderr, @"^Metric Name: (?<name>[^,]+),", RegexOptions.Multiline)
            .Select(match => (match.Index, match.Groups["name"].Value))];
        long sum = 0;
        foreach (Match point in Regex.Matches(stderr, @"^\(.*\] (?<tags>.*)\r?\nValue: (?<value>\d+)", RegexOptions.Multiline))
        {
            string? name = names.LastOrDefault(entry => entry.At < point.Index).Name;
            if (name == metric && point.Groups["tags"].Value.Contains(tag, StringComparison.Ordinal))
            {
                sum += long.Parse(point.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }
        return sum;
    }
}
