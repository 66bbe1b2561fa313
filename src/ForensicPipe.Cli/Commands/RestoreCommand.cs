using System.CommandLine;
using ForensicPipe.Core.Errors;
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
    private const string CommandLine = CommonOptions.CommandLine;

    public static Command Create(FpipeServices services)
    {
        var image = new Argument<string>("IMAGE") { Description = "The backup image (or - for standard input)." };
        var output = new Argument<string>("OUT")
        {
            Description = "The raw partition file to write (as OUT.partial until complete), NAME.E01 for an E01 evidence container, - for standard output, or a block device to restore onto (needs --yes).",
        };
        var fill = new Option<string>("--fill")
        {
            Description = "What blocks the image does not contain become: deadbeef (default for a file), zero, sparse (holes in a file; " +
                "not written on a device, the default there), or 1-16 bytes of hex such as 0xfeedface.",
            DefaultValueFactory = _ => "deadbeef",
            CustomParser = result => CommonOptions.ParseFill(result, sparse: true),
        };
        var yes = new Option<bool>("--yes") { Description = "Confirm that OUT, a block device, is overwritten. Without it a device is refused." };
        var verify = new Option<bool>("--verify")
        {
            Description = "After writing, read OUT back bypassing the page cache and compare its SHA-256 with what was written " +
                "(a device: every written range; a file: the whole file, each piece with --split); exit 3 on a difference.",
        };
        var offset = new Option<long>("--offset")
        {
            Description = "Device only: SIZE offset on OUT where the partition starts (a multiple of the sector size; default 0).",
            CustomParser = result => SizeText.Parse(result, "--offset") ?? 0,
        };
        var onMismatch = new Option<string>("--on-mismatch")
        {
            Description = "fail: stop at the first checksum mismatch (default); record: list them all and finish (exit 3).",
            DefaultValueFactory = _ => "fail",
            CustomParser = result => SizeText.ParseChoice(result, "--on-mismatch", "fail", "record"),
        };
        var hash = CommonOptions.Hash("none");
        var window = CommonOptions.Window();
        var report = CommonOptions.Report("Path of the JSON report (default: OUT.report.json for a file; NAME.restore.TIMESTAMP.report.json " +
            "in the current folder for a device; none for standard output); a .txt rendering goes beside it.");
        var overwrite = CommonOptions.Overwrite();
        var bufferSize = CommonOptions.BufferSize();
        var sync = CommonOptions.Sync();
        var split = CommonOptions.Split();
        var log = CommonOptions.Log();
        var caseOptions = CommonOptions.Case();
        var e01 = E01Output.Create();
        var command = new Command("restore", "Reconstruct the partition of a backup image into a raw file or onto a block device, verifying its checksums.")
        {
            image, output, fill, onMismatch, yes, verify, offset, hash, window, report, overwrite, bufferSize, sync, split, log,
        };
        foreach (Option option in caseOptions.All.Concat(e01.All))
        {
            command.Options.Add(option);
        }
        Clonezilla.ClonezillaVerbs.AddOptions(command, partition: true);
        command.SetAction((parse, _) => CommandRun.RunAsync(parse, log, "IMAGE", "OUT", fromCommandLine: true, async () =>
        {
            string path = parse.GetValue(image)!;
            string outputPath = parse.GetValue(output)!;
            if (Formats.Clonezilla.ClonezillaFolder.LooksLikeFolder(path))
            {
                E01SinkSpec? e01Sink = null;
                if (!Devices.BlockDevice.IsDevicePath(outputPath) && E01Output.IsE01(outputPath))
                {
                    if (parse.GetValue(fill) == "sparse")
                    {
                        throw new JobValidationException(CommandLine, "--fill", $"an E01 container has no holes: {outputPath} stores every sector; give zero, deadbeef or a hex pattern");
                    }
                    CommandPaths.RequireNewOutput(outputPath, parse.GetValue(overwrite), "OUT");
                    e01Sink = e01.Sink(parse, outputPath, parse.GetValue(overwrite), parse.GetValue(sync), parse.GetValue(verify), split, caseOptions.Read(parse));
                }
                else
                {
                    e01.RefuseFor(parse, outputPath);
                }
                return await Clonezilla.ClonezillaVerbs.RestoreAsync(services, parse, path, outputPath, e01Sink);
            }
            CommandPaths.RequireInput(path, "IMAGE");
            bool toDevice = Devices.BlockDevice.IsDevicePath(outputPath);
            bool toStdout = outputPath == "-";
            bool toE01 = !toDevice && E01Output.IsE01(outputPath);
            if (!toE01)
            {
                e01.RefuseFor(parse, outputPath);
            }
            bool fillGiven = parse.GetResult(fill) is { Implicit: false };
            string pattern = parse.GetValue(fill)!;
            if (toDevice)
            {
                if (!parse.GetValue(yes))
                {
                    throw new JobValidationException(CommandLine, "--yes", $"restoring onto {outputPath} overwrites it; add --yes to confirm");
                }
                foreach (Option option in new Option[] { split, sync })
                {
                    if (parse.GetResult(option) is { Implicit: false })
                    {
                        throw new JobValidationException(CommandLine, option.Name, $"{outputPath} is a block device; {option.Name} is for raw-file outputs");
                    }
                }
            }
            else
            {
                if (parse.GetResult(offset) is { Implicit: false })
                {
                    throw new JobValidationException(CommandLine, "--offset", $"{outputPath} is not a block device; --offset is for restoring onto a device");
                }
                if (toStdout)
                {
                    ImageCommand.RefuseForStandardOutput(parse, split, verify, sync, overwrite);
                    if (pattern == "sparse")
                    {
                        throw new JobValidationException(CommandLine, "--fill", "sparse does not apply to standard output (-): there is no file to leave holes in");
                    }
                }
                else
                {
                    CommandPaths.RequireNewOutput(outputPath, parse.GetValue(overwrite), "OUT");
                }
            }
            if (toE01 && pattern == "sparse")
            {
                throw new JobValidationException(CommandLine, "--fill", $"an E01 container has no holes: {outputPath} stores every sector; give zero, deadbeef or a hex pattern");
            }
            // On a device, blocks the image does not contain are left unwritten unless a fill is asked for.
            bool sparse = pattern == "sparse" || (toDevice && !fillGiven);
            HashStageSpec? hashStage = CommonOptions.HashStage(parse, hash, window, defaultAlgorithms: "none");
            MismatchPolicy policy = parse.GetValue(onMismatch) == "record" ? MismatchPolicy.Record : MismatchPolicy.Fail;
            List<StageSpec> stages = [new VerifyStageSpec { OnMismatch = policy }];
            if (!sparse)
            {
                stages.Add(new FillStageSpec { Pattern = pattern });
            }
            if (hashStage is not null)
            {
                stages.Add(hashStage);
            }
            SinkSpec sink = toDevice
                ? new DeviceSinkSpec { Path = outputPath, Confirm = true, Verify = parse.GetValue(verify), Offset = parse.GetValue(offset) }
                : toE01
                ? e01.Sink(parse, outputPath, parse.GetValue(overwrite), parse.GetValue(sync), parse.GetValue(verify), split, caseOptions.Read(parse))
                : new RawFileSinkSpec
                {
                    Path = outputPath,
                    Overwrite = parse.GetValue(overwrite),
                    Sparse = sparse,
                    Sync = parse.GetValue(sync),
                    Split = parse.GetValue(split),
                    Verify = parse.GetValue(verify),
                };
            string? reportPath = parse.GetValue(report);
            string deviceReport = "";
            if (toDevice && reportPath is null)
            {
                // Each restore onto a device is its own record, kept in the current folder: there is no file to put it beside.
                string folder = Directory.GetCurrentDirectory();
                if (!CommandPaths.IsWritableFolder(folder))
                {
                    throw new JobValidationException(CommandLine, "--report", $"the current folder {folder} is not writable; give --report PATH for the record of the restore");
                }
                deviceReport = Path.Combine(folder, $"{Path.GetFileName(outputPath)}.restore.{Core.Reporting.ReportPlacement.TimeStamp(DateTimeOffset.UtcNow)}{Core.Reporting.ReportPlacement.ReportSuffix}");
                reportPath = deviceReport;
            }
            using DetectedImage detected = services.Formats.Open(path);
            var job = new JobSpec
            {
                Source = detected.Spec,
                Stages = stages,
                Sinks = [sink],
                Report = new ReportSpec { Path = reportPath, Overwrite = parse.GetValue(overwrite), Case = caseOptions.Read(parse) },
                BufferSize = CommonOptions.BufferSizeOf(parse, bufferSize),
            };
            JobLoader.Validate(job, CommandLine);
            var context = new JobContext(Directory.GetCurrentDirectory(), "fpipe restore",
                toDevice ? deviceReport : toStdout ? "" : Path.GetFullPath(outputPath) + Core.Reporting.ReportPlacement.ReportSuffix)
            {
                OpenedSource = detected.OpenSource(),
            };
            JobExecution.Switches switches = CommonOptions.Switches(parse) with
            {
                NoReportReason = toStdout && reportPath is null ? "the partition went to standard output; give --report PATH for one" : null,
            };
            return await JobExecution.RunAsync(job, context, services.JobComponents, switches);
        }));
        return command;
    }
}
