using System.CommandLine;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;

namespace ForensicPipe.Cli.Commands;

/// <summary><c>fpipe run JOB</c>: runs a job file.</summary>
internal static class RunCommand
{
    public static Command Create(FpipeServices services)
    {
        var job = new Argument<string>("JOB") { Description = "The job file (JSON; schema in samples/job.schema.json)." };
        var command = new Command("run", "Run a job file.") { job };
        command.SetAction(async (parse, _) =>
        {
            string path = parse.GetValue(job)!;
            JobSpec spec = JobLoader.Load(path, services.JobComponents);
            return await JobExecution.RunAsync(spec, JobContext.ForJobFile(path), services.JobComponents, CommonOptions.Switches(parse));
        });
        return command;
    }
}
