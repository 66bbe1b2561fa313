using System.CommandLine;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Stages.Verify;
using ForensicPipe.Formats.Registry;

namespace ForensicPipe.Cli.Commands;

/// <summary><c>fpipe restore IMAGE OUT.raw</c>: reconstructs the partition of a backup image into a raw
/// file, checking the image's checksums on the way. When OUT is a block device it restores onto it (the
/// <c>device</c> sink): only with <c>--yes</c>, blocks the image does not contain are skipped unless
/// <c>--fill</c> is given, and <c>--verify</c> reads the written ranges back.</summary>
internal static class RestoreCommand
{
    public static Command Create(FpipeServices services)
    {
        var image = new Argument<string>("IMAGE") { Description = "The backup image (or - for standard input)." };
        var output = new Argument<string>("OUT")
        {
            Description = "The raw partition file to write (as OUT.partial until complete), or a block device to restore onto (needs --yes).",
        };
        var fill = new Option<string>("--fill")
        {
            Description = "What blocks the image does not contain become: deadbeef (default for a file), zero, sparse (holes in a file; " +
                "not written on a device, the default there), or 1-16 bytes of hex.",
            DefaultValueFactory = _ => "deadbeef",
        };
        var yes = new Option<bool>("--yes") { Description = "Confirm that OUT, a block device, is overwritten. Without it a device is refused." };
        var verify = new Option<bool>("--verify")
        {
            Description = "Device only: read back what was written with direct I/O and compare its SHA-256 with what was sent (exit 3 on a difference).",
        };
        var offset = new Option<long>("--offset")
        {
            Description = "Device only: byte offset on OUT where the partition starts (a multiple of the sector size; default 0).",
        };
        var onMismatch = new Option<MismatchPolicy>("--on-mismatch")
        {
            Description = "fail: stop at the first checksum mismatch (default); record: list them all and finish (exit 3).",
            DefaultValueFactory = _ => MismatchPolicy.Fail,
        };
        var command = new Command("restore", "Reconstruct the partition of a backup image into a raw file or onto a block device, verifying its checksums.")
        {
            image, output, fill, onMismatch, yes, verify, offset, CommonOptions.Hash, CommonOptions.Window, CommonOptions.Report,
            CommonOptions.Overwrite, CommonOptions.BufferSize,
        };
        Clonezilla.ClonezillaVerbs.AddOptions(command, partition: true);
        command.SetAction(async (parse, _) =>
        {
            string path = parse.GetValue(image)!;
            string outputPath = parse.GetValue(output)!;
            if (Directory.Exists(path))
            {
                return await Clonezilla.ClonezillaVerbs.RestoreAsync(services, parse, path, outputPath);
            }
            string pattern = parse.GetValue(fill)!;
            bool toDevice = Devices.BlockDevice.IsDevicePath(outputPath);
            bool fillGiven = parse.GetResult(fill) is { Implicit: false };
            if (!toDevice && (parse.GetValue(verify) || parse.GetResult(offset) is { Implicit: false }))
            {
                throw new Core.Errors.JobValidationException("(command line)", "--verify/--offset",
                    $"{outputPath} is not a block device; --verify and --offset are for restoring onto a device");
            }
            // On a device, blocks the image does not contain are left unwritten unless a fill is asked for.
            bool sparse = pattern == "sparse" || (toDevice && !fillGiven);
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
            SinkSpec sink = toDevice
                ? new DeviceSinkSpec { Path = outputPath, Confirm = parse.GetValue(yes), Verify = parse.GetValue(verify), Offset = parse.GetValue(offset) }
                : new RawFileSinkSpec { Path = outputPath, Overwrite = parse.GetValue(CommonOptions.Overwrite), Sparse = sparse };
            using DetectedImage detected = services.Formats.Open(path);
            var job = new JobSpec
            {
                Source = detected.Spec,
                Stages = stages,
                Sinks = [sink],
                Report = parse.GetValue(CommonOptions.Report) is string report
                    ? new ReportSpec { Path = report, Overwrite = parse.GetValue(CommonOptions.Overwrite) }
                    : toDevice ? new ReportSpec { Path = $"{Path.GetFileName(outputPath)}.restore.report.json", Overwrite = parse.GetValue(CommonOptions.Overwrite) } : null,
                BufferSize = parse.GetValue(CommonOptions.BufferSize),
            };
            JobLoader.Validate(job, "(command line)");
            var context = new JobContext(Directory.GetCurrentDirectory(), "fpipe restore",
                toDevice ? Path.GetFullPath($"{Path.GetFileName(outputPath)}.restore.report.json") : Path.GetFullPath(outputPath) + ".report.json")
            {
                OpenedSource = detected.OpenSource(),
            };
            return await JobExecution.RunAsync(job, context, services.JobComponents, CommonOptions.Switches(parse));
        });
        return command;
    }
}
