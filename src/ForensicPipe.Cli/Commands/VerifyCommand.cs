using System.CommandLine;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Stages.Verify;

namespace ForensicPipe.Cli.Commands;

/// <summary><c>fpipe verify IMAGE</c>: checks every checksum of an image without writing anything.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var image = new Argument<string>("IMAGE") { Description = "The image to check (or - for standard input)." };
        var command = new Command("verify",
            "Check every checksum of an image: exit 0 when all match, 3 with the offsets of each mismatch.")
        {
            image, CommonOptions.Hash, CommonOptions.Window, CommonOptions.Report, CommonOptions.Overwrite, CommonOptions.BufferSize,
        };
        command.SetAction(async (parse, _) =>
        {
            string path = parse.GetValue(image)!;
            string format = Formats.Detection.ImageFormatDetector.Detect(path);
            HashStageSpec? hash = CommonOptions.HashStage(parse, defaultAlgorithms: "none");
            string report = parse.GetValue(CommonOptions.Report)
                ?? (path == "-" ? "stdin" : Path.GetFileName(path)) + ".verify.report.json";
            var job = new JobSpec
            {
                Source = ImageSources.Create(format, path),
                Stages = [new VerifyStageSpec { OnMismatch = MismatchPolicy.Record }, .. hash is null ? Array.Empty<StageSpec>() : [hash]],
                Sinks = [new NullSinkSpec()],
                Report = new ReportSpec { Path = report, Overwrite = parse.GetValue(CommonOptions.Overwrite) },
                BufferSize = parse.GetValue(CommonOptions.BufferSize),
            };
            JobLoader.Validate(job, "(command line)");
            var context = new JobContext(Directory.GetCurrentDirectory(), "fpipe verify", Path.GetFullPath(report));
            return await JobExecution.RunAsync(job, context, CommonOptions.Switches(parse));
        });
        return command;
    }
}
