using System.CommandLine;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Stages.Verify;
using ForensicPipe.Formats.Registry;

namespace ForensicPipe.Cli.Commands;

/// <summary><c>fpipe verify IMAGE</c>: checks every checksum of an image without writing anything.</summary>
internal static class VerifyCommand
{
    public static Command Create(FpipeServices services)
    {
        var image = new Argument<string>("IMAGE") { Description = "The image to check (or - for standard input)." };
        var command = new Command("verify",
            "Check every checksum of an image: exit 0 when all match, 3 with the offsets of each mismatch.")
        {
            image, CommonOptions.Hash, CommonOptions.Window, CommonOptions.Report, CommonOptions.Overwrite, CommonOptions.BufferSize,
        };
        Clonezilla.ClonezillaVerbs.AddOptions(command);
        command.SetAction(async (parse, _) =>
        {
            string path = parse.GetValue(image)!;
            if (Directory.Exists(path))
            {
                return await Clonezilla.ClonezillaVerbs.VerifyAsync(services, parse, path);
            }
            HashStageSpec? hash = CommonOptions.HashStage(parse, defaultAlgorithms: "none");
            string report = parse.GetValue(CommonOptions.Report)
                ?? (path == "-" ? "stdin" : Path.GetFileName(path)) + ".verify.report.json";
            using DetectedImage detected = services.Formats.Open(path);
            var job = new JobSpec
            {
                Source = detected.Spec,
                Stages = [new VerifyStageSpec { OnMismatch = MismatchPolicy.Record }, .. hash is null ? Array.Empty<StageSpec>() : [hash]],
                Sinks = [new NullSinkSpec()],
                Report = new ReportSpec { Path = report, Overwrite = parse.GetValue(CommonOptions.Overwrite) },
                BufferSize = parse.GetValue(CommonOptions.BufferSize),
            };
            JobLoader.Validate(job, "(command line)");
            var context = new JobContext(Directory.GetCurrentDirectory(), "fpipe verify", Path.GetFullPath(report))
            {
                OpenedSource = detected.OpenSource(),
            };
            return await JobExecution.RunAsync(job, context, services.JobComponents, CommonOptions.Switches(parse));
        });
        return command;
    }
}
