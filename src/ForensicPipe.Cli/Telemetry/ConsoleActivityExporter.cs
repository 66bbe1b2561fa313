using System.Diagnostics;
using System.Globalization;
using OpenTelemetry;

namespace ForensicPipe.Cli.Telemetry;

/// <summary>
/// Prints finished spans, one line each, to a text writer (standard error). Our own because the
/// OpenTelemetry.Exporter.Console package is not in this machine's NuGet registry.
/// </summary>
internal sealed class ConsoleActivityExporter(TextWriter output) : BaseExporter<Activity>
{
    public override ExportResult Export(in Batch<Activity> batch)
    {
        foreach (Activity activity in batch)
        {
            string tags = string.Join(" ", activity.TagObjects.Select(tag => $"{tag.Key}={tag.Value}"));
            string status = activity.Status == ActivityStatusCode.Unset ? "" : $" status={activity.Status}";
            string description = activity.StatusDescription is null ? "" : $" ({activity.StatusDescription})";
            lock (output)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[span] {activity.DisplayName} trace={activity.TraceId} span={activity.SpanId} parent={activity.ParentSpanId} " +
                    $"start={activity.StartTimeUtc:O} duration={activity.Duration.TotalMilliseconds:F1}ms{status}{description} {tags}"));
            }
        }
        return ExportResult.Success;
    }
}
