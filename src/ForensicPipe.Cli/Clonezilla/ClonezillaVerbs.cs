using System.CommandLine;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Reporting;
using ForensicPipe.Core.Stages.Verify;
using ForensicPipe.Formats.Clonezilla;
using ForensicPipe.Formats.Disk;
using ForensicPipe.Formats.Input;
using ForensicPipe.Cli.Commands;
using ForensicPipe.Formats.Registry;

namespace ForensicPipe.Cli.Clonezilla;

/// <summary>
/// <c>fpipe info|verify|restore FOLDER</c> for a Clonezilla savedisk folder (docs/formats/clonezilla.md): the verbs
/// call these when their IMAGE argument is a folder. The options are the verbs' own (read by name) plus
/// <see cref="Disk"/> and <see cref="Partition"/>, which the verbs add with <see cref="AddOptions"/>.
/// </summary>
internal static class ClonezillaVerbs
{
    /// <summary><c>--disk sda</c>: which saved disk of a folder that holds several.</summary>
    public static readonly Option<string?> Disk = new("--disk") { Description = "Clonezilla folder: which saved disk (sda) when it holds several." };

    /// <summary><c>--partition sda2</c>: only this partition of a folder (restore, mount).</summary>
    public static readonly Option<string?> Partition = new("--partition") { Description = "Clonezilla folder: only this partition (sda2): restore it, or mount it alone." };

    /// <summary>Unprotected files named on standard error; the report names all of them.</summary>
    private const int UnprotectedShown = 10;

    /// <summary>Adds the folder options to a verb.</summary>
    public static void AddOptions(Command command, bool partition = false)
    {
        command.Options.Add(Disk);
        if (partition)
        {
            command.Options.Add(Partition);
        }
    }

    /// <summary><c>fpipe info FOLDER [--json]</c>: disks, table, partitions and their files, swap, what is missing,
    /// manifests; reads only metadata and image headers.</summary>
    public static Task<int> InfoAsync(FpipeServices services, ParseResult parse, string path)
    {
        ClonezillaFolder folder = ClonezillaFolder.Open(path, parse.GetValue(Disk));
        JsonObject details = Describe(folder, services.Formats);
        foreach (string warning in folder.Warnings)
        {
            Console.Error.WriteLine($"fpipe: warning: {warning}");
        }
        Console.Out.Write(parse.GetValue<bool>("--json")
            ? details.ToJsonString(ReadableJson.Options) + "\n"
            : ReportTextRenderer.RenderObject(details));
        return Task.FromResult(ExitCodes.Ok);
    }

    /// <summary><c>fpipe verify FOLDER</c>: every manifest against the stored files, then every image's own checks in
    /// one pass over the disk. Exit 1 when a listed file is missing, 3 on any mismatch.</summary>
    public static async Task<int> VerifyAsync(FpipeServices services, ParseResult parse, string path)
    {
        string full = Path.GetFullPath(path);
        IReadOnlyList<ManifestEntry> checks = ClonezillaManifests.Check(full, entry =>
        {
            if (!entry.Matches)
            {
                Console.Error.WriteLine($"fpipe: {entry}");
            }
        });
        IReadOnlyList<string> unprotected = ClonezillaManifests.Unprotected(full, checks);
        string[] manifests = [.. checks.Select(check => check.Manifest).Distinct()];
        int missing = checks.Count(check => check.Actual is null);
        int mismatched = checks.Count(check => check.Actual is not null && !check.Matches);
        bool quiet = parse.GetValue(CommonOptions.Quiet);
        if (!quiet)
        {
            Console.Error.WriteLine(manifests.Length == 0
                ? "manifests: none (MD5SUMS, SHA1SUMS, B2SUMS, B3SUMS absent): the stored files are not protected by any"
                : $"manifests: {string.Join(", ", manifests)}: {checks.Count} file check(s), {mismatched} mismatch(es), {missing} missing");
            if (unprotected.Count > 0)
            {
                // The report lists them all; a folder full of strays must not flood the terminal.
                Console.Error.WriteLine($"unprotected (in no manifest): {string.Join(", ", unprotected.Take(UnprotectedShown))}" +
                    (unprotected.Count > UnprotectedShown ? $", … {unprotected.Count - UnprotectedShown} more in the report" : ""));
            }
        }
        int manifestCode = missing > 0 ? ExitCodes.Failed : mismatched > 0 ? ExitCodes.Mismatch : ExitCodes.Ok;
        ClonezillaFolder folder;
        DiskSource source;
        try
        {
            folder = ClonezillaFolder.Open(full, parse.GetValue(Disk));
            source = await OpenDiskAsync(folder, null, services.Formats);
        }
        catch (ForensicPipeException ex) when (manifestCode != ExitCodes.Ok)
        {
            // The manifests already named the damaged or missing file that makes the folder unreadable.
            Console.Error.WriteLine($"fpipe: {ex.Message}");
            return manifestCode;
        }
        source.ExtraDetails = new JsonObject
        {
            ["manifests"] = new JsonArray([.. checks.Select(check => (JsonNode?)new JsonObject
            {
                ["manifest"] = check.Manifest,
                ["line"] = check.Line,
                ["file"] = Path.GetFileName(check.File),
                ["expected"] = check.Expected,
                ["computed"] = check.Actual,
                ["result"] = check.Actual is null ? "missing" : check.Matches ? "match" : "mismatch",
            })]),
            ["unprotected"] = new JsonArray([.. unprotected.Select(file => (JsonNode?)file)]),
        };
        HashStageSpec? hash = CommonOptions.HashStage(parse, CommonOptions.OptionOf<string?>(parse, "--hash"), CommonOptions.OptionOf<long?>(parse, "--window"), defaultAlgorithms: "none");
        (string report, string? noReport) = CommandPaths.CheckReport(parse.GetValue<string?>("--report"), folder.Path, "verify", DateTimeOffset.UtcNow);
        var job = new JobSpec
        {
            Source = new ClonezillaSourceSpec { Path = folder.Path, Disk = parse.GetValue(Disk) },
            Stages = [new VerifyStageSpec { OnMismatch = MismatchPolicy.Record }, .. hash is null ? Array.Empty<StageSpec>() : [hash]],
            Sinks = [new NullSinkSpec()],
            Report = new ReportSpec { Path = noReport is null ? report : null, Overwrite = parse.GetValue<bool>("--overwrite") },
            BufferSize = CommonOptions.BufferSizeOf(parse, CommonOptions.OptionOf<long?>(parse, "--buffer-size")),
        };
        int code = await RunAsync(job, source, "fpipe verify", report, services, parse, noReport);
        return manifestCode != ExitCodes.Ok ? manifestCode : code;
    }

    /// <summary><c>fpipe restore FOLDER OUT [--partition sda2]</c>: the whole disk (or one partition) into a raw file or
    /// onto a device, with the restore verb's options; the report holds the digest of the output and of each partition.
    /// <paramref name="e01"/>: the sink of an E01 output (OUT is NAME.E01) instead of a raw file.</summary>
    public static async Task<int> RestoreAsync(FpipeServices services, ParseResult parse, string path, string outputPath, E01SinkSpec? e01 = null)
    {
        ClonezillaFolder folder = ClonezillaFolder.Open(path, parse.GetValue(Disk));
        string? partition = parse.GetValue(Partition);
        string pattern = parse.GetValue<string>("--fill") ?? "deadbeef";
        bool toDevice = Devices.BlockDevice.IsDevicePath(outputPath);
        bool fillGiven = parse.GetResult("--fill") is System.CommandLine.Parsing.OptionResult { Implicit: false };
        if (!toDevice && ((e01 is null && parse.GetValue<bool>("--verify")) || parse.GetResult("--offset") is System.CommandLine.Parsing.OptionResult { Implicit: false }))
        {
            throw new JobValidationException(CommonOptions.CommandLine, "--verify/--offset",
                $"{outputPath} is not a block device; --verify and --offset are for restoring onto a device");
        }
        bool sparse = pattern == "sparse" || (toDevice && !fillGiven);
        DiskSource source = await OpenDiskAsync(folder, partition, services.Formats);
        HashStageSpec? hash = CommonOptions.HashStage(parse, CommonOptions.OptionOf<string?>(parse, "--hash"), CommonOptions.OptionOf<long?>(parse, "--window"), defaultAlgorithms: "sha256");
        List<StageSpec> stages = [new VerifyStageSpec { OnMismatch = parse.GetValue<MismatchPolicy>("--on-mismatch") }];
        if (!sparse)
        {
            stages.Add(new FillStageSpec { Pattern = pattern });
        }
        if (hash is not null)
        {
            stages.Add(hash);
        }
        bool overwrite = parse.GetValue<bool>("--overwrite");
        SinkSpec sink = toDevice
            ? new DeviceSinkSpec { Path = outputPath, Confirm = parse.GetValue<bool>("--yes"), Verify = parse.GetValue<bool>("--verify"), Offset = parse.GetValue<long>("--offset") }
            : e01 ?? (SinkSpec)new RawFileSinkSpec { Path = outputPath, Overwrite = overwrite, Sparse = sparse };
        string defaultReport = toDevice ? Path.GetFullPath($"{Path.GetFileName(outputPath)}.restore.report.json") : Path.GetFullPath(outputPath) + ".report.json";
        var job = new JobSpec
        {
            Source = new ClonezillaSourceSpec { Path = folder.Path, Disk = parse.GetValue(Disk), Partition = partition },
            Stages = stages,
            Sinks = [sink],
            Report = parse.GetValue<string?>("--report") is string report
                ? new ReportSpec { Path = report, Overwrite = overwrite }
                : toDevice ? new ReportSpec { Path = defaultReport, Overwrite = overwrite } : null,
            BufferSize = CommonOptions.BufferSizeOf(parse, CommonOptions.OptionOf<long?>(parse, "--buffer-size")),
        };
        return await RunAsync(job, source, "fpipe restore", defaultReport, services, parse);
    }

    /// <summary>Builds the disk and opens every piece before the job starts, so that a folder that cannot make a
    /// complete disk is refused (exit 2) before any output exists.</summary>
    private static async Task<DiskSource> OpenDiskAsync(ClonezillaFolder folder, string? partition, ImageFormatRegistry formats)
    {
        DiskSource source = ClonezillaSourceKind.Open(folder, partition, formats);
        try
        {
            await source.OpenAsync(CancellationToken.None);
            return source;
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }
    }

    private static async Task<int> RunAsync(JobSpec job, DiskSource source, string verb, string defaultReport, FpipeServices services, ParseResult parse,
        string? noReportReason = null)
    {
        try
        {
            JobLoader.Validate(job, CommonOptions.CommandLine);
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }
        var context = new JobContext(Directory.GetCurrentDirectory(), verb, defaultReport) { OpenedSource = source };
        return await JobExecution.RunAsync(job, context, services.JobComponents, CommonOptions.Switches(parse) with { NoReportReason = noReportReason });
    }

    private static JsonObject Describe(ClonezillaFolder folder, ImageFormatRegistry formats)
    {
        var partitions = new JsonArray();
        foreach (ClonezillaPartition partition in folder.Partitions)
        {
            var entry = new JsonObject
            {
                ["name"] = partition.Name,
                ["start"] = partition.Table.Start,
                ["size"] = partition.Table.Size,
                ["type"] = partition.Table.Type,
                ["role"] = partition.Role.ToString().ToLowerInvariant(),
                ["fs"] = partition.FileSystem,
                ["tool"] = partition.Tool,
                ["compressionSuffix"] = partition.CompressionSuffix,
                ["files"] = new JsonArray([.. partition.Files.Select(file => (JsonNode?)file)]),
                ["bytesStored"] = folder.FilesOf(partition).Sum(file => new FileInfo(file).Length),
            };
            if (partition.Role == ClonezillaPartitionRole.Image)
            {
                (entry["format"], entry["compression"]) = Identify(folder.FilesOf(partition).First(), partition.IsRaw, formats);
            }
            if (partition.Role == ClonezillaPartitionRole.Swap)
            {
                entry["swapInfo"] = partition.HasSwapInfo ? $"swappt-{partition.Name}.info" : null;
                entry["swapUuid"] = partition.SwapUuid;
                entry["swapLabel"] = partition.SwapLabel;
            }
            partitions.Add((JsonNode)entry);
        }
        string disk = folder.Disk;
        string[] areas = [$"{disk}-mbr", $"{disk}-hidden-data-after-mbr", $"{disk}-gpt-1st", $"{disk}-gpt-2nd", $"{disk}-pt.parted", $"{disk}-gpt.gdisk"];
        return new JsonObject
        {
            ["folder"] = folder.Path,
            ["disks"] = new JsonArray([.. folder.Disks.Select(name => (JsonNode?)name)]),
            ["disk"] = disk,
            ["label"] = folder.Table.Label,
            ["labelId"] = folder.Table.LabelId,
            ["sectorSize"] = folder.SectorSize,
            ["sizeSectors"] = folder.Size.Sectors,
            ["size"] = folder.Size.Sectors * folder.SectorSize,
            ["sizeFrom"] = folder.Size.Source,
            ["partitions"] = partitions,
            ["savedParts"] = new JsonArray([.. folder.SavedParts.Select(name => (JsonNode?)name)]),
            ["missing"] = new JsonArray([.. folder.Partitions.Where(partition => partition.Role == ClonezillaPartitionRole.Missing)
                .Select(partition => (JsonNode?)partition.Name)]),
            ["bootAreas"] = new JsonObject([.. areas.Select(area => KeyValuePair.Create(area, (JsonNode?)folder.Files.Contains(area)))]),
            ["manifests"] = new JsonArray([.. folder.Manifests.Select(name => (JsonNode?)name)]),
            ["warnings"] = new JsonArray([.. folder.Warnings.Select(warning => (JsonNode?)warning)]),
        };
    }

    private static (JsonNode?, JsonNode?) Identify(string first, bool raw, ImageFormatRegistry formats)
    {
        try
        {
            if (raw)
            {
                using SequentialImage image = SequentialImage.Open(first);
                return ("raw", image.Compression.ToString().ToLowerInvariant());
            }
            using DetectedImage detected = formats.Open(first);
            return (detected.Format.Type, detected.Compression.ToString().ToLowerInvariant());
        }
        catch (ForensicPipeException ex)
        {
            return ($"unreadable: {ex.Message}", null);
        }
    }
}
