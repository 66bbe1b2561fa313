using System.CommandLine;
using ForensicPipe.Cli.Terminal;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Devices;
using ForensicPipe.Devices.Listing;

namespace ForensicPipe.Cli.Commands;

/// <summary><c>fpipe image [SRC [DST]]</c>: a hashed evidence copy of a block device or a raw image (file or
/// stdin). Without SRC on a terminal it lists the devices and asks which to copy.</summary>
internal static class ImageCommand
{
    /// <summary>Digests of an evidence copy when <c>--hash</c> is not given.</summary>
    public const string DefaultHashes = "md5,sha256";

    /// <summary>What unreadable sectors of a device hold when <c>--fill</c> is not given.</summary>
    public const string DefaultDeviceFill = "zero";

    private const string CommandLine = "(command line)";

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
            Description = "The raw image file to write (as DST.partial until it is complete). Left out after choosing a device: MODEL.raw.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var reportedSize = new Option<long?>("--reported-size")
        {
            Description = "Bytes to take as the device's size instead of what the OS reports (as WMI's TotalSectors, ddrescue -s); probing finds the rest.",
        };
        var mapfile = new Option<string?>("--mapfile") { Description = "Write a GNU ddrescue-compatible mapfile of read and bad areas." };
        var retries = new Option<int?>("--retries") { Description = "Extra reads of a failed sector before it counts as unreadable (0-64, default 2)." };
        var maxBad = new Option<long?>("--max-bad-sectors") { Description = "Fail the job once more sectors than this stay unreadable (default: no limit)." };
        var fill = new Option<string?>("--fill")
        {
            Description = "What unreadable sectors hold in the copy and the digests: zero (default), deadbeef, or 1-16 bytes of hex such as 0xbadbadba.",
        };
        var noProbe = new Option<bool>("--no-probe") { Description = "Do not read past the reported size." };
        var buffered = new Option<bool>("--buffered") { Description = "Read the device through the page cache instead of with O_DIRECT." };
        var asDevice = new Option<bool>("--device") { Description = "Read SRC as a device even when it is a regular file (probing, retries, mapfile)." };
        var resume = new Option<bool>("--resume") { Description = "Continue an interrupted acquisition from DST.partial and the --mapfile: read only what the mapfile does not mark finished." };
        var retryBad = new Option<bool>("--retry-bad") { Description = "With --resume: read the mapfile's bad areas again, sector by sector with the retries." };
        var command = new Command("image", "Make a hashed evidence copy: SRC to DST with digests, report and sidecars.")
        {
            source, destination, CommonOptions.Hash, CommonOptions.Window, CommonOptions.Report,
            CommonOptions.Overwrite, CommonOptions.BufferSize, reportedSize, mapfile, retries, maxBad, fill, noProbe, buffered, asDevice, resume, retryBad,
        };
        command.SetAction(async (parse, _) =>
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
                throw new JobValidationException(CommandLine, "DST", "no destination given");
            }
            bool deviceOptions = parse.GetValue(asDevice) || parse.GetValue(reportedSize) is not null || parse.GetValue(mapfile) is not null
                || parse.GetValue(retries) is not null || parse.GetValue(maxBad) is not null || parse.GetValue(noProbe) || parse.GetValue(buffered)
                || parse.GetValue(resume) || parse.GetValue(retryBad);
            // Regular files and FIFOs go to the raw-file source unless device options ask otherwise; devices,
            // and what is neither (a directory, /dev/null), to the device source, which names what it is.
            bool isDevice = sourcePath != "-" && (deviceOptions || !BlockDevice.IsFileSourceInput(sourcePath));
            SourceSpec sourceSpec = isDevice
                ? new DeviceSourceSpec
                {
                    Path = sourcePath,
                    ReportedSize = parse.GetValue(reportedSize),
                    Mapfile = parse.GetValue(mapfile),
                    Retries = parse.GetValue(retries) ?? 2,
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
            var stages = new List<StageSpec>();
            if (isDevice)
            {
                stages.Add(new FillStageSpec { Pattern = parse.GetValue(fill) ?? DefaultDeviceFill });
            }
            if (CommonOptions.HashStage(parse, DefaultHashes) is HashStageSpec hash)
            {
                stages.Add(hash);
            }
            var job = new JobSpec
            {
                Source = sourceSpec,
                Stages = stages,
                Sinks = [new RawFileSinkSpec { Path = destinationPath, Overwrite = parse.GetValue(CommonOptions.Overwrite) }],
                Report = parse.GetValue(CommonOptions.Report) is string report ? new ReportSpec { Path = report } : null,
                BufferSize = parse.GetValue(CommonOptions.BufferSize),
            };
            JobLoader.Validate(job, CommandLine);
            var context = new JobContext(Directory.GetCurrentDirectory(), "fpipe image", Path.GetFullPath(destinationPath) + ".report.json");
            return await JobExecution.RunAsync(job, context, services.JobComponents, CommonOptions.Switches(parse));
        });
        return command;
    }
}
