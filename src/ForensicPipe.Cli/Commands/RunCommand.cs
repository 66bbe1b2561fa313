using System.CommandLine;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;

namespace ForensicPipe.Cli.Commands;

/// <summary><c>fpipe run JOB</c>: runs a job file; the command line may replace outputs (<c>--overwrite</c>),
/// the buffer size and the case metadata.</summary>
internal static class RunCommand
{
    public static Command Create(FpipeServices services)
    {
        var job = new Argument<string>("JOB") { Description = "The job file (JSON; schema in samples/job.schema.json)." };
        var overwrite = new Option<bool>("--overwrite")
        {
            Description = "Replace existing outputs with their reports and sidecars, and the mapfile (as \"overwrite\": true on every raw-file sink and the report).",
        };
        var bufferSize = CommonOptions.BufferSize();
        var log = CommonOptions.Log();
        var caseOptions = CommonOptions.Case();
        var command = new Command("run", "Run a job file.") { job, overwrite, bufferSize, log };
        foreach (Option option in caseOptions.All)
        {
            command.Options.Add(option);
        }
        command.SetAction((parse, _) => CommandRun.RunAsync(parse, log, "JOB", "", fromCommandLine: false, async () =>
        {
            string path = parse.GetValue(job)!;
            CommandPaths.RequireInput(path, "JOB");
            JobSpec spec = JobLoader.Load(path, services.JobComponents);
            bool replace = parse.GetValue(overwrite);
            int? buffer = CommonOptions.BufferSizeOf(parse, bufferSize);
            CaseSpec? caseSpec = caseOptions.Read(parse, spec.Report?.Case);
            var effective = new JobSpec
            {
                Schema = spec.Schema,
                Source = spec.Source,
                Stages = spec.Stages,
                Sinks = [.. spec.Sinks.Select(sink => replace && sink is RawFileSinkSpec raw && !Core.Sinks.RawFileOutputs.IsStandardOutput(raw)
                    ? new RawFileSinkSpec { Path = raw.Path, Overwrite = true, Sparse = raw.Sparse, Sync = raw.Sync, Split = raw.Split, Verify = raw.Verify }
                    : sink)],
                Report = new ReportSpec { Path = spec.Report?.Path, Overwrite = replace || spec.Report?.Overwrite == true, Case = caseSpec },
                Telemetry = spec.Telemetry,
                BufferSize = buffer ?? spec.BufferSize,
            };
            return await JobExecution.RunAsync(effective, JobContext.ForJobFile(path), services.JobComponents, CommonOptions.Switches(parse));
        }));
        return command;
    }
}
