using System.CommandLine;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;

namespace ForensicPipe.Cli.Commands;

/// <summary><c>fpipe validate JOB</c>: checks a job file without running it.</summary>
internal static class ValidateCommand
{
    public static Command Create(FpipeServices services)
    {
        var job = new Argument<string>("JOB") { Description = "The job file to check." };
        var command = new Command("validate", "Check a job file without running anything (exit 0 valid, 2 invalid).") { job };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(job)!;
            JobSpec spec = JobLoader.Load(path, services.JobComponents);
            string source = spec.Source.GetType().Name.Replace("SourceSpec", "", StringComparison.Ordinal);
            Console.Out.WriteLine($"{path}: valid ({source} source, {spec.Stages.Count} stage(s), {spec.Sinks.Count} sink(s))");
            return ExitCodes.Ok;
        });
        return command;
    }
}
