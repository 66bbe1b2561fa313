using System.CommandLine;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Stages.Verify;

namespace ForensicPipe.Cli.Commands;

/// <summary><c>fpipe restore IMAGE OUT.raw</c>: reconstructs the partition of a backup image into a raw
/// file, checking the image's checksums on the way.</summary>
internal static class RestoreCommand
{
    public static Command Create()
    {
        var image = new Argument<string>("IMAGE") { Description = "The backup image (or - for standard input)." };
        var output = new Argument<string>("OUT") { Description = "The raw partition file to write (as OUT.partial until complete)." };
        var fill = new Option<string>("--fill")
        {
            Description = "What blocks the image does not contain become: deadbeef (default), zero, sparse (holes), or 1-16 bytes of hex.",
            DefaultValueFactory = _ => "deadbeef",
        };
        var onMismatch = new Option<MismatchPolicy>("--on-mismatch")
        {
            Description = "fail: stop at the first checksum mismatch (default); record: list them all and finish (exit 3).",
            DefaultValueFactory = _ => MismatchPolicy.Fail,
        };
        var command = new Command("restore", "Reconstruct the partition of a backup image into a raw file, verifying its checksums.")
        {
            image, output, fill, onMismatch, CommonOptions.Hash, CommonOptions.Window, CommonOptions.Report,
            CommonOptions.Overwrite, CommonOptions.BufferSize,
        };
        command.SetAction(async (parse, _) =>
        {
            string path = parse.GetValue(image)!;
            string outputPath = parse.GetValue(output)!;
            string format = Formats.Detection.ImageFormatDetector.Detect(path);
            string pattern = parse.GetValue(fill)!;
            bool sparse = pattern == "sparse";
            HashStageSpec? hash = CommonOptions.HashStage(parse, defaultAlgorithms: "none");
            List<StageSpec> stages = [new VerifyStageSpec { OnMismatch = parse.GetValue(onMismatch) }];
            if (!sparse)
            {
                stages.Add(new FillStageSpec { Pattern = pattern });
            }
            if (hash is not null)
            {
                stages.Add(hash);
            }
            var job = new JobSpec
            {
                Source = ImageSources.Create(format, path),
                Stages = stages,
                Sinks = [new RawFileSinkSpec { Path = outputPath, Overwrite = parse.GetValue(CommonOptions.Overwrite), Sparse = sparse }],
                Report = parse.GetValue(CommonOptions.Report) is string report ? new ReportSpec { Path = report } : null,
                BufferSize = parse.GetValue(CommonOptions.BufferSize),
            };
            JobLoader.Validate(job, "(command line)");
            var context = new JobContext(Directory.GetCurrentDirectory(), "fpipe restore", Path.GetFullPath(outputPath) + ".report.json");
            return await JobExecution.RunAsync(job, context, CommonOptions.Switches(parse));
        });
        return command;
    }
}
