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

    /// <summary><c>--swap mkswap|zeros</c>: what a folder's swap partitions become (restore, mount).</summary>
    public static readonly Option<string> Swap = SwapOption();

    /// <summary>Unprotected files named on standard error; the report names all of them.</summary>
    private const int UnprotectedShown = 10;

    /// <summary>Adds the folder options to a verb.</summary>
    public static void AddOptions(Command command, bool partition = false)
    {
        command.Options.Add(Disk);
        if (partition)
        {
            command.Options.Add(Partition);
            command.Options.Add(Swap);
        }
    }

    private static Option<string> SwapOption()
    {
        var option = new Option<string>("--swap")
        {
            Description = "Clonezilla folder: swap partitions as mkswap -L LABEL -U UUID writes them (mkswap, the default), or zeros over each whole swap partition (zeros).",
            DefaultValueFactory = _ => "mkswap",
        };
        option.AcceptOnlyFromAmong("mkswap", "zeros");
        return option;
    }

    /// <summary>The <c>--swap</c> choice.</summary>
    public static ClonezillaSwapMode SwapMode(ParseResult parse) =>
        parse.GetValue(Swap) == "zeros" ? ClonezillaSwapMode.Zeros : ClonezillaSwapMode.Mkswap;

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

    /// <summary><c>fpipe verify FOLDER</c>: every manifest against the stored files and every image's own checks in
    /// one pass over the disk, at the same time (the manifests on the other core; docs/formats/clonezilla.md,
    /// "Manifests"). Exit 1 when a listed file is missing, 3 on any mismatch.</summary>
    public static async Task<int> VerifyAsync(FpipeServices services, ParseResult parse, string path)
    {
        string full = Path.GetFullPath(path);
        using var stopManifests = new CancellationTokenSource();
        // Reads nothing but the manifests and the files they list, so that a damaged metadata file is named by them; a
        // malformed manifest is refused here, before the long work starts.
        IReadOnlyList<ManifestEntry> lines = ClonezillaManifests.Read(full);
        Task<IReadOnlyList<ManifestEntry>> manifestTask = Task.Run(() => ClonezillaManifests.Check(lines, entry =>
        {
            if (!entry.Matches)
            {
                Console.Error.WriteLine($"fpipe: {entry}");
            }
        }, stopManifests.Token));
        ClonezillaFolder folder;
        DiskSource source;
        HashStageSpec? hash = CommonOptions.HashStage(parse, CommonOptions.OptionOf<string?>(parse, "--hash"), CommonOptions.OptionOf<long?>(parse, "--window"), defaultAlgorithms: "none");
        try
        {
            folder = ClonezillaFolder.Open(full, parse.GetValue(Disk));
            source = await OpenDiskAsync(folder, null, services.Formats, ClonezillaSwapMode.Mkswap, partitionDigests: hash is not null);
        }
        catch (ForensicPipeException ex)
        {
            int code = ManifestCode(await manifestTask);
            if (code == ExitCodes.Ok)
            {
                throw;
            }
            // The manifests already named the damaged or missing file that makes the folder unreadable.
            Console.Error.WriteLine($"fpipe: {ex.Message}");
            return code;
        }
        source.ConcurrentWork = ManifestDetailsAsync(full, manifestTask);
        (string report, string? noReport) = CommandPaths.CheckReport(parse.GetValue<string?>("--report"), folder.Path, "verify", DateTimeOffset.UtcNow);
        var job = new JobSpec
        {
            Source = new ClonezillaSourceSpec { Path = folder.Path, Disk = parse.GetValue(Disk), PartitionDigests = hash is not null },
            Stages = [new VerifyStageSpec { OnMismatch = MismatchPolicy.Record }, .. hash is null ? Array.Empty<StageSpec>() : [hash]],
            Sinks = [new NullSinkSpec()],
            Report = new ReportSpec { Path = noReport is null ? report : null, Overwrite = parse.GetValue<bool>("--overwrite") },
            BufferSize = CommonOptions.BufferSizeOf(parse, CommonOptions.OptionOf<long?>(parse, "--buffer-size")),
        };
        int jobCode;
        try
        {
            jobCode = await RunAsync(job, source, "fpipe verify", report, services, parse, noReport);
        }
        catch
        {
            await stopManifests.CancelAsync();
            throw;
        }
        if (jobCode == ExitCodes.Cancelled)
        {
            await stopManifests.CancelAsync();
            return jobCode;
        }
        // A disk pass that failed early (a damaged image) still gets the manifests' verdict, which names the file.
        IReadOnlyList<ManifestEntry> checks = await manifestTask;
        if (!parse.GetValue(CommonOptions.Quiet))
        {
            PrintManifestSummary(full, checks);
        }
        int manifestCode = ManifestCode(checks);
        return manifestCode != ExitCodes.Ok ? manifestCode : jobCode;
    }

    /// <summary>1 when a listed file is missing, 3 on a mismatch, else 0.</summary>
    private static int ManifestCode(IReadOnlyList<ManifestEntry> checks) =>
        checks.Any(check => check.Actual is null) ? ExitCodes.Failed
        : checks.Any(check => !check.Matches) ? ExitCodes.Mismatch
        : ExitCodes.Ok;

    /// <summary>The manifest checks and the unprotected files, for the report's after-run details.</summary>
    private static async Task<JsonObject?> ManifestDetailsAsync(string folder, Task<IReadOnlyList<ManifestEntry>> manifestTask)
    {
        IReadOnlyList<ManifestEntry> checks = await manifestTask.ConfigureAwait(false);
        return new JsonObject
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
            ["unprotected"] = new JsonArray([.. ClonezillaManifests.Unprotected(folder, checks).Select(file => (JsonNode?)file)]),
        };
    }

    private static void PrintManifestSummary(string folder, IReadOnlyList<ManifestEntry> checks)
    {
        IReadOnlyList<string> unprotected = ClonezillaManifests.Unprotected(folder, checks);
        string[] manifests = [.. checks.Select(check => check.Manifest).Distinct()];
        int missing = checks.Count(check => check.Actual is null);
        int mismatched = checks.Count(check => check.Actual is not null && !check.Matches);
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
        HashStageSpec? hash = CommonOptions.HashStage(parse, CommonOptions.OptionOf<string?>(parse, "--hash"), CommonOptions.OptionOf<long?>(parse, "--window"), defaultAlgorithms: "sha256");
        ClonezillaSwapMode swap = SwapMode(parse);
        // --hash none asks for no digest: the partitions' SHA-256 (a pass over every partition) is skipped too.
        DiskSource source = await OpenDiskAsync(folder, partition, services.Formats, swap, partitionDigests: hash is not null);
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
            Source = new ClonezillaSourceSpec { Path = folder.Path, Disk = parse.GetValue(Disk), Partition = partition, Swap = swap, PartitionDigests = hash is not null },
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
    private static async Task<DiskSource> OpenDiskAsync(ClonezillaFolder folder, string? partition, ImageFormatRegistry formats, ClonezillaSwapMode swap,
        bool partitionDigests)
    {
        DiskSource source = ClonezillaSourceKind.Open(folder, partition, formats, swap, partitionDigests);
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
