using System.CommandLine;
using ForensicPipe.Cli.Terminal;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Devices;
using ForensicPipe.Devices.Listing;

namespace ForensicPipe.Cli.Commands;

/// <summary><c>fpipe image [SRC [DST]]</c>: a hashed evidence copy of a block device or a raw image (file or
/// stdin) into a file, split pieces or standard output. Without SRC on a terminal it lists the devices and
/// asks which to copy.</summary>
internal static class ImageCommand
{
    /// <summary>Digests of an evidence copy when <c>--hash</c> is not given.</summary>
    public const string DefaultHashes = "md5,sha256";

    /// <summary>What unreadable sectors of a device hold when <c>--fill</c> is not given.</summary>
    public const string DefaultDeviceFill = "zero";

    private const string CommandLine = CommonOptions.CommandLine;

    public static Command Create(FpipeServices services)
    {
        var source = new Argument<string?>("SRC")
        {
            Description = "A block device (/dev/sdX, /dev/loopN; on Windows \\\\.\\PhysicalDriveN, a disk number, E: or a mount-point folder), " +
                "a raw image file, or - for standard input. Left out on a terminal: choose from a list.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var destination = new Argument<string?>("DST")
        {
            Description = "The raw image file to write (as DST.partial until it is complete), NAME.E01 for an E01 evidence container, or - for standard output (no sidecars; " +
                "a report only with --report). Left out after choosing a device: MODEL.raw.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var hash = CommonOptions.Hash(DefaultHashes);
        var window = CommonOptions.Window();
        var report = CommonOptions.Report("Path of the JSON report (default: DST.report.json; none for standard output); a .txt rendering goes beside it.");
        var overwrite = CommonOptions.Overwrite();
        var bufferSize = CommonOptions.BufferSize();
        var log = CommonOptions.Log();
        var sync = CommonOptions.Sync();
        var split = CommonOptions.Split();
        var verify = new Option<bool>("--verify")
        {
            Description = "After writing, read DST back bypassing the page cache and compare its SHA-256 (each piece's digests with --split) " +
                "with what was written, as dc3dd hof=; a difference is exit 3 and DST stays .partial.",
        };
        var caseOptions = CommonOptions.Case();
        var e01 = E01Output.Create();
        var reportedSize = new Option<long?>("--reported-size")
        {
            Description = "SIZE to take as the device's size instead of what the OS reports (as WMI's TotalSectors, ddrescue -s); probing finds the rest.",
            CustomParser = result => SizeText.Parse(result, "--reported-size"),
        };
        var mapfile = new Option<string?>("--mapfile") { Description = "Write a GNU ddrescue-compatible mapfile of read and bad areas." };
        var retries = new Option<long?>("--retries")
        {
            Description = "Extra reads of a failed sector before it counts as unreadable (0-64, default 2).",
            CustomParser = result => SizeText.ParseCount(result, "--retries"),
        };
        var maxBad = new Option<long?>("--max-bad-sectors")
        {
            Description = "Fail the job once more sectors than this stay unreadable (default: no limit).",
            CustomParser = result => SizeText.ParseCount(result, "--max-bad-sectors"),
        };
        var fill = new Option<string?>("--fill")
        {
            Description = "What unreadable sectors of a device hold in the copy and the digests: zero (default), deadbeef, or 1-16 bytes of hex such as 0xbadbadba.",
            CustomParser = result => CommonOptions.ParseFill(result, sparse: false),
        };
        var noProbe = new Option<bool>("--no-probe") { Description = "Do not read past the reported size." };
        var buffered = new Option<bool>("--buffered") { Description = "Read the device through the page cache instead of with O_DIRECT." };
        var asDevice = new Option<bool>("--device") { Description = "Read SRC as a device even when it is a regular file (probing, retries, mapfile)." };
        var resume = new Option<bool>("--resume") { Description = "Continue an interrupted acquisition from DST.partial and the --mapfile: read only what the mapfile does not mark finished." };
        var retryBad = new Option<bool>("--retry-bad") { Description = "With --resume: read the mapfile's bad areas again, sector by sector with the retries." };
        var command = new Command("image", "Make a hashed evidence copy: SRC to DST (a raw file, or an E01 container when DST is NAME.E01) with digests, report and sidecars.")
        {
            source, destination, hash, window, report, overwrite, bufferSize, sync, split, verify, log,
            reportedSize, mapfile, retries, maxBad, fill, noProbe, buffered, asDevice, resume, retryBad,
        };
        foreach (Option option in caseOptions.All.Concat(e01.All))
        {
            command.Options.Add(option);
        }
        command.SetAction((parse, _) => CommandRun.RunAsync(parse, log, "SRC", "DST", fromCommandLine: true, async () =>
        {
            string? sourcePath = parse.GetValue(source);
            string? destinationPath = parse.GetValue(destination);
            if (sourcePath is null)
            {
                // Never ask when standard input is not a terminal: a script would hang on the question.
                if (Console.IsInputRedirected)
                {
                    throw new JobValidationException(CommandLine, "SRC", "no source given (name a device or file; fpipe devices lists the devices)");
                }
                BlockDeviceEntry chosen = DeviceChooser.Choose(Console.In, Console.Error);
                sourcePath = chosen.Path;
                destinationPath ??= DeviceChooser.OutputNameFor(chosen);
                Console.Error.WriteLine($"fpipe: imaging {sourcePath} to {destinationPath}");
            }
            if (destinationPath is null)
            {
                throw new JobValidationException(CommandLine, "DST", "no destination given (a file, or - for standard output)");
            }
            CommandPaths.RequireInput(sourcePath, "SRC");
            bool toStdout = destinationPath == "-";
            bool toE01 = E01Output.IsE01(destinationPath);
            if (!toE01)
            {
                e01.RefuseFor(parse, destinationPath);
            }
            if (toStdout)
            {
                RefuseForStandardOutput(parse, split, verify, sync, overwrite);
            }
            else
            {
                CommandPaths.RequireNewOutput(destinationPath, parse.GetValue(overwrite), "DST");
            }
            if (parse.GetValue(retries) is long tries && tries > DeviceSourceSpec.MaxRetries)
            {
                throw new JobValidationException(CommandLine, "--retries", $"{tries} is not between 0 and {DeviceSourceSpec.MaxRetries}");
            }
            bool deviceOptions = parse.GetValue(asDevice) || parse.GetValue(reportedSize) is not null || parse.GetValue(mapfile) is not null
                || parse.GetValue(retries) is not null || parse.GetValue(maxBad) is not null || parse.GetValue(noProbe) || parse.GetValue(buffered)
                || parse.GetValue(resume) || parse.GetValue(retryBad);
            // Regular files and FIFOs go to the raw-file source unless device options ask otherwise; devices,
            // and what is neither (/dev/null), to the device source, which names what it is.
            bool isDevice = sourcePath != "-" && (deviceOptions || !BlockDevice.IsFileSourceInput(sourcePath));
            SourceSpec sourceSpec = isDevice
                ? new DeviceSourceSpec
                {
                    Path = sourcePath,
                    ReportedSize = parse.GetValue(reportedSize),
                    Mapfile = parse.GetValue(mapfile),
                    Retries = (int)(parse.GetValue(retries) ?? 2),
                    MaxBadSectors = parse.GetValue(maxBad),
                    Probe = !parse.GetValue(noProbe),
                    DirectIo = !parse.GetValue(buffered),
                    Resume = parse.GetValue(resume),
                    RetryBad = parse.GetValue(retryBad),
                }
                : new FileSourceSpec { Path = sourcePath };
            if (!isDevice && parse.GetValue(fill) is not null)
            {
                throw new JobValidationException(CommandLine, "--fill", "a raw image file has no unreadable sectors to fill; --fill applies to devices");
            }
            if (toE01 && parse.GetValue(fill) is string pattern && pattern != "zero")
            {
                throw new JobValidationException(CommandLine, "--fill",
                    $"an E01 container stores unreadable sectors as zeros and lists them in its error2 section; {pattern} does not apply to {destinationPath}");
            }
            var stages = new List<StageSpec>();
            // An E01 sink must see unreadable ranges as such, to list them in error2: no fill stage before it.
            if (isDevice && !toE01)
            {
                stages.Add(new FillStageSpec { Pattern = parse.GetValue(fill) ?? DefaultDeviceFill });
            }
            if (CommonOptions.HashStage(parse, hash, window, DefaultHashes) is HashStageSpec hashStage)
            {
                stages.Add(hashStage);
            }
            var job = new JobSpec
            {
                Source = sourceSpec,
                Stages = stages,
                Sinks = [toE01
                    ? e01.Sink(parse, destinationPath, parse.GetValue(overwrite), parse.GetValue(sync), parse.GetValue(verify), split, caseOptions.Read(parse))
                    : new RawFileSinkSpec
                    {
                        Path = destinationPath,
                        Overwrite = parse.GetValue(overwrite),
                        Sync = parse.GetValue(sync),
                        Split = parse.GetValue(split),
                        Verify = parse.GetValue(verify),
                    }],
                Report = new ReportSpec { Path = parse.GetValue(report), Overwrite = parse.GetValue(overwrite), Case = caseOptions.Read(parse) },
                BufferSize = CommonOptions.BufferSizeOf(parse, bufferSize),
            };
            JobLoader.Validate(job, CommandLine);
            IReadOnlyList<SourceMounts.Mount> mounts = isDevice ? SourceMounts.Of(sourcePath) : [];
            foreach (SourceMounts.Mount mount in mounts.Where(mount => mount.ReadWrite))
            {
                Console.Error.WriteLine($"fpipe: warning: {sourcePath} is mounted read-write ({mount.Entry.Source} at {mount.Entry.MountPoint}): " +
                    "it can change while it is copied; unmount it or remount it read-only first");
            }
            string defaultReport = toStdout ? "" : Path.GetFullPath(destinationPath) + Core.Reporting.ReportPlacement.ReportSuffix;
            var context = new JobContext(Directory.GetCurrentDirectory(), "fpipe image", defaultReport)
            {
                ReportAdditions = mounts.Count > 0 ? new System.Text.Json.Nodes.JsonObject { ["sourceMounts"] = SourceMounts.Describe(mounts) } : null,
            };
            JobExecution.Switches switches = CommonOptions.Switches(parse) with
            {
                NoReportReason = toStdout && parse.GetValue(report) is null ? "the copy went to standard output; give --report PATH for one" : null,
            };
            return await JobExecution.RunAsync(job, context, services.JobComponents, switches);
        }));
        return command;
    }

    /// <summary>Standard output has no name to split, sync, read back or replace; and binary data is not for a terminal.</summary>
    internal static void RefuseForStandardOutput(ParseResult parse, params Option[] options)
    {
        ArgumentNullException.ThrowIfNull(parse);
        foreach (Option option in options)
        {
            if (parse.GetResult(option) is { Implicit: false })
            {
                throw new JobValidationException(CommandLine, option.Name, "does not apply to standard output (-): there is no file to " +
                    option.Name switch { "--split" => "split", "--verify" => "read back", "--sync" => "sync", _ => "replace" });
            }
        }
        if (!Console.IsOutputRedirected)
        {
            throw new JobValidationException(CommandLine, "-", "standard output is a terminal; redirect it to a file or a pipe (fpipe image SRC - | …)");
        }
    }
}
