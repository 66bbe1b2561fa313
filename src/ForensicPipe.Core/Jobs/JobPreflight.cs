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
    /// <summary>The report's path: the job's, else beside the first raw-file output (or, without one, the first
    /// E01 set), else the context's default.</summary>
    public static string ReportPath(JobSpec job, JobContext context) => job.Report?.Path is string path
        ? context.Resolve(path)
        : FirstNamedOutput(job) is string output
            ? context.Resolve(output) + ".report.json"
            : context.DefaultReportPath;

    /// <summary>The path of the output a report is named after: the first raw-file output with a name, else the
    /// first E01 set (also written as <c>.partial</c> and renamed on success); null for neither.</summary>
    public static string? FirstNamedOutput(JobSpec job) =>
        FirstFileOutput(job)?.Path ?? job.Sinks.OfType<E01SinkSpec>().FirstOrDefault()?.Path;

    /// <summary>The first raw-file output with a name (standard output has none to give a report or sidecars).</summary>
    public static RawFileSinkSpec? FirstFileOutput(JobSpec job) =>
        job.Sinks.OfType<RawFileSinkSpec>().FirstOrDefault(raw => !RawFileOutputs.IsStandardOutput(raw));

    /// <summary>Whether the job may replace earlier outputs and reports.</summary>
    public static bool MayOverwrite(JobSpec job) =>
        job.Report?.Overwrite == true || job.Sinks.OfType<RawFileSinkSpec>().Any(sink => sink.Overwrite)
        || job.Sinks.OfType<E01SinkSpec>().Any(sink => sink.Overwrite);

    /// <summary>Refuses the job when an output or the mapfile exists and may not be replaced, or the report's
    /// folder does not exist. An earlier report is no reason: the new one gets a name of its own
    /// (<see cref="Reporting.ReportPlacement"/>).</summary>
    public static void CheckNothingIsClobbered(JobSpec job, JobContext context, IEnumerable<IRawFileOutput> rawSinks, string reportPath)
    {
        bool overwrite = MayOverwrite(job);
        foreach (IRawFileOutput sink in rawSinks)
        {
            sink.CheckTarget();
        }
        if (job.Source is DeviceSourceSpec { Mapfile: string mapfile, Resume: false } && !overwrite && File.Exists(context.Resolve(mapfile)))
        {
            throw new JobValidationException(context.JobName, "$.source.mapfile",
                $"the mapfile {context.Resolve(mapfile)} exists; set \"overwrite\": true on the report or the raw-file sink (or --overwrite) to replace it");
        }
        string? directory = Path.GetDirectoryName(reportPath);
        if (context.WritesReport && !string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            throw new JobValidationException(context.JobName, "$.report.path", $"the folder {directory} does not exist");
        }
    }
}
