using System.CommandLine;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Stages.Verify;

using ForensicPipe.Formats.Registry;

namespace ForensicPipe.Cli.Commands;

/// <summary><c>fpipe verify IMAGE</c>: checks every checksum of an image without writing anything but its
/// report, which goes where <c>--report</c> says, or beside the image with the time in its name when that
/// folder is writable, or nowhere (said on standard error); the exit code is the verdict either way.</summary>
internal static class VerifyCommand
{
    public static Command Create(FpipeServices services)
    {
        var image = new Argument<string>("IMAGE") { Description = "The image to check (or - for standard input)." };
        var hash = CommonOptions.Hash("none");
        var window = CommonOptions.Window();
        var report = CommonOptions.Report("Path of the JSON report (default: IMAGE.verify.TIMESTAMP.report.json beside the image when its folder " +
            "is writable, else none); a .txt rendering goes beside it.");
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace the file --report names if it exists (without it the report gets a time-stamped name)." };
        var bufferSize = CommonOptions.BufferSize();
        var log = CommonOptions.Log();
        var caseOptions = CommonOptions.Case();
        var command = new Command("verify",
            "Check every checksum of an image: exit 0 when all match, 3 with the offsets of each mismatch.")
        {
            image, hash, window, report, overwrite, bufferSize, log,
        };
        foreach (Option option in caseOptions.All)
        {
            command.Options.Add(option);
        }
        Clonezilla.ClonezillaVerbs.AddOptions(command);
        command.SetAction((parse, _) => CommandRun.RunAsync(parse, log, "IMAGE", "", fromCommandLine: true, async () =>
        {
            string path = parse.GetValue(image)!;
            if (Formats.Clonezilla.ClonezillaFolder.LooksLikeFolder(path))
            {
                return await Clonezilla.ClonezillaVerbs.VerifyAsync(services, parse, path);
            }
            CommandPaths.RequireInput(path, "IMAGE");
            HashStageSpec? hashStage = CommonOptions.HashStage(parse, hash, window, defaultAlgorithms: "none");
            (string reportPath, string? noReport) = CommandPaths.CheckReport(parse.GetValue(report), path, "verify", DateTimeOffset.UtcNow);
            using DetectedImage detected = services.Formats.Open(path);
            var job = new JobSpec
            {
                Source = detected.Spec,
                Stages = [new VerifyStageSpec { OnMismatch = MismatchPolicy.Record }, .. hashStage is null ? Array.Empty<StageSpec>() : [hashStage]],
                Sinks = [new NullSinkSpec()],
                Report = new ReportSpec
                {
                    Path = noReport is null ? reportPath : null,
                    Overwrite = parse.GetValue(overwrite),
                    Case = caseOptions.Read(parse),
                },
                BufferSize = CommonOptions.BufferSizeOf(parse, bufferSize),
            };
            JobLoader.Validate(job, CommonOptions.CommandLine);
            var context = new JobContext(Directory.GetCurrentDirectory(), "fpipe verify", reportPath)
            {
                OpenedSource = detected.OpenSource(),
            };
            return await JobExecution.RunAsync(job, context, services.JobComponents, CommonOptions.Switches(parse) with { NoReportReason = noReport });
        }));
        return command;
    }
}
