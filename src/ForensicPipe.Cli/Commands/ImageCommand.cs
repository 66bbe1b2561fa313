using System.CommandLine;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;

namespace ForensicPipe.Cli.Commands;

/// <summary><c>fpipe image SRC DST</c>: a hashed evidence copy of a raw image (file or stdin).</summary>
internal static class ImageCommand
{
    /// <summary>Digests of an evidence copy when <c>--hash</c> is not given.</summary>
    public const string DefaultHashes = "md5,sha256";

    public static Command Create()
    {
        var source = new Argument<string>("SRC") { Description = "The raw image to copy: a file, or - for standard input." };
        var destination = new Argument<string>("DST") { Description = "The raw image file to write (as DST.partial until it is complete)." };
        var command = new Command("image", "Make a hashed evidence copy: SRC to DST with digests, report and sidecars.")
        {
            source, destination, CommonOptions.Hash, CommonOptions.Window, CommonOptions.Report,
            CommonOptions.Overwrite, CommonOptions.BufferSize,
        };
        command.SetAction(async (parse, _) =>
        {
            string destinationPath = parse.GetValue(destination)!;
            HashStageSpec? hash = CommonOptions.HashStage(parse, DefaultHashes);
            var job = new JobSpec
            {
                Source = new FileSourceSpec { Path = parse.GetValue(source)! },
                Stages = hash is null ? [] : [hash],
                Sinks = [new RawFileSinkSpec { Path = destinationPath, Overwrite = parse.GetValue(CommonOptions.Overwrite) }],
                Report = parse.GetValue(CommonOptions.Report) is string report ? new ReportSpec { Path = report } : null,
                BufferSize = parse.GetValue(CommonOptions.BufferSize),
            };
            JobLoader.Validate(job, "(command line)");
            var context = new JobContext(Directory.GetCurrentDirectory(), "fpipe image", Path.GetFullPath(destinationPath) + ".report.json");
            return await JobExecution.RunAsync(job, context, CommonOptions.Switches(parse));
        });
        return command;
    }
}
