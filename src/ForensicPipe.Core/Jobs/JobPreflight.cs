using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Sinks;

namespace ForensicPipe.Core.Jobs;

/// <summary>
/// What is decided before a job touches anything: where its report goes, and that no output, report or
/// mapfile of an earlier run would be replaced without being told to. A refusal is a
/// <see cref="JobValidationException"/> and nothing has been written.
/// </summary>
internal static class JobPreflight
{
    /// <summary>The report's path: the job's, else beside the first raw-file output, else the context's default.</summary>
    public static string ReportPath(JobSpec job, JobContext context) => job.Report?.Path is string path
        ? context.Resolve(path)
        : job.Sinks.OfType<RawFileSinkSpec>().FirstOrDefault() is RawFileSinkSpec raw
            ? context.Resolve(raw.Path) + ".report.json"
            : context.DefaultReportPath;

    /// <summary>Whether the job may replace earlier outputs and reports.</summary>
    public static bool MayOverwrite(JobSpec job) =>
        job.Report?.Overwrite == true || job.Sinks.OfType<RawFileSinkSpec>().Any(sink => sink.Overwrite);

    /// <summary>Refuses the job when an output, the report or the mapfile exists and may not be replaced, or the
    /// report's folder does not exist.</summary>
    public static void CheckNothingIsClobbered(JobSpec job, JobContext context, IEnumerable<RawFileSink> rawSinks, string reportPath)
    {
        bool overwrite = MayOverwrite(job);
        foreach (RawFileSink sink in rawSinks)
        {
            sink.CheckTarget();
        }
        if (!overwrite && File.Exists(reportPath) && !ResumesUnfinishedRun(job, reportPath))
        {
            throw new JobValidationException(context.JobName, "$.report.path",
                $"the report {reportPath} exists; set \"overwrite\": true on the report or the raw-file sink (or --overwrite) to replace it");
        }
        if (job.Source is DeviceSourceSpec { Mapfile: string mapfile, Resume: false } && !overwrite && File.Exists(context.Resolve(mapfile)))
        {
            throw new JobValidationException(context.JobName, "$.source.mapfile",
                $"the mapfile {context.Resolve(mapfile)} exists; set \"overwrite\": true on the report or the raw-file sink (or --overwrite) to replace it");
        }
        string? directory = Path.GetDirectoryName(reportPath);
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new JobValidationException(context.JobName, "$.report.path", $"the folder {directory} does not exist");
        }
    }

    /// <summary>A resumed acquisition replaces the report of the run it continues, when that report says the run
    /// did not complete.</summary>
    private static bool ResumesUnfinishedRun(JobSpec job, string reportPath)
    {
        if (job.Source is not DeviceSourceSpec { Resume: true })
        {
            return false;
        }
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(reportPath))?["complete"]?.GetValue<bool>() == false;
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or IOException or InvalidOperationException)
        {
            return false;
        }
    }
}
