using System.Globalization;
using System.Text.RegularExpressions;
using ForensicPipe.Core.Errors;
using ForensicPipe.Formats.Disk;

namespace ForensicPipe.Formats.Clonezilla;

/// <summary>
/// A folder Clonezilla's <c>ocs-sr savedisk</c> wrote (docs/formats/clonezilla.md): the saved disks, one disk's
/// partition table, the files of each partition, the boot areas and the manifests. <see cref="Open"/> reads only
/// the small metadata files; <see cref="BuildPieces"/> lays the disk out as <c>restoredisk</c> writes it back.
/// </summary>
public sealed partial class ClonezillaFolder
{
    /// <summary>The manifests Clonezilla can write (<c>checksum_method_for_img</c>), in its order.</summary>
    public static IReadOnlyList<string> ManifestNames { get; } = ["MD5SUMS", "SHA1SUMS", "B2SUMS", "B3SUMS"];

    /// <summary>Largest metadata file read as text (<c>disk</c>, <c>parts</c>, swap info, parted listing).</summary>
    private const int MaxTextLength = 1 << 20;

    /// <summary>The GPT copies are read and written with <c>dd bs=512</c> whatever the sector size.</summary>
    private const int GptCopySector = 512;

    /// <summary>Sectors of <c>&lt;disk&gt;-gpt-1st</c>: LBA 0 to 33 (<c>dd bs=512 count=34</c>).</summary>
    private const int GptFirstSectors = 34;

    /// <summary>Bytes of the MBR boot code restored from <c>&lt;disk&gt;-mbr</c> (<c>ocs-restore-mbr</c>: <c>bs=446 count=1</c>).</summary>
    public const int BootCodeLength = 446;

    private const string GptSwapType = "0657FD6D-A4AB-43C4-84E5-0933C84B4F4F";

    private readonly List<string> _warnings = [];

    private ClonezillaFolder(string path, string disk, IReadOnlyList<string> disks, SfdiskDump table, IReadOnlyList<string> files)
    {
        Path = path;
        Disk = disk;
        Disks = disks;
        Table = table;
        Files = files;
    }

    /// <summary>The folder (absolute).</summary>
    public string Path { get; }

    /// <summary>The disk this object describes (<c>sda</c>).</summary>
    public string Disk { get; }

    /// <summary>Every disk the folder's <c>disk</c> file names.</summary>
    public IReadOnlyList<string> Disks { get; }

    /// <summary>The disk's partition table (<c>&lt;disk&gt;-pt.sf</c>).</summary>
    public SfdiskDump Table { get; }

    /// <summary>The names of every file in the folder, sorted.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The disk's size in sectors (from <c>&lt;disk&gt;-pt.parted</c>, else derived from the table), and
    /// how it was found.</summary>
    public (long Sectors, string Source) Size { get; private set; }

    /// <summary>The partitions of the table with their files.</summary>
    public IReadOnlyList<ClonezillaPartition> Partitions { get; private set; } = [];

    /// <summary>The names the folder's <c>parts</c> file lists.</summary>
    public IReadOnlyList<string> SavedParts { get; private set; } = [];

    /// <summary>The manifests present.</summary>
    public IReadOnlyList<string> Manifests => [.. ManifestNames.Where(name => Files.Contains(name))];

    /// <summary>What the user must know: things the folder lacks that restoredisk would recreate differently.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Bytes per sector.</summary>
    public int SectorSize => Table.SectorSize;

    /// <summary>Whether <paramref name="path"/> is a folder with a Clonezilla <c>disk</c> or <c>parts</c> file.</summary>
    public static bool LooksLikeFolder(string path) =>
        Directory.Exists(path) && (File.Exists(System.IO.Path.Combine(path, "disk")) || File.Exists(System.IO.Path.Combine(path, "parts")));

    /// <summary>Reads the metadata of <paramref name="folder"/> for <paramref name="disk"/> (null: the only disk).</summary>
    /// <exception cref="JobValidationException">Not a savedisk folder, or the disk is not named and there are several.</exception>
    /// <exception cref="ImageFormatException">The partition table dump does not parse.</exception>
    public static ClonezillaFolder Open(string folder, string? disk = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string path = System.IO.Path.GetFullPath(folder);
        if (!Directory.Exists(path))
        {
            throw new JobValidationException(path, "$.source.path", "is not a folder");
        }
        string diskFile = System.IO.Path.Combine(path, "disk");
        if (!File.Exists(diskFile))
        {
            throw new JobValidationException(path, "$.source.path",
                "has no 'disk' file: not a folder of a saved disk (ocs-sr savedisk); a savepart folder holds partition images only, restore them one by one");
        }
        string[] disks = Words(ReadText(diskFile));
        if (disks.Length == 0)
        {
            throw new JobValidationException(path, "$.source.path", "its 'disk' file names no disk");
        }
        string chosen = disk ?? (disks.Length == 1 ? disks[0]
            : throw new JobValidationException(path, "$.source.disk", $"the folder holds {disks.Length} disks ({string.Join(", ", disks)}); name one (\"disk\": \"{disks[0]}\", --disk {disks[0]})"));
        if (!disks.Contains(chosen))
        {
            throw new JobValidationException(path, "$.source.disk", $"the folder holds no disk '{chosen}' (it holds {string.Join(", ", disks)})");
        }
        // The name becomes part of file names (sda-pt.sf): a '/' or NUL would leave the folder or is no path at all.
        if (chosen.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new JobValidationException(path, "$.source.disk", $"its 'disk' file names '{chosen.ReplaceLineEndings(" ").Replace('\0', ' ')}', which is not a device name (it holds '/' or NUL)");
        }
        SfdiskDump table = SfdiskDump.Load(System.IO.Path.Combine(path, $"{chosen}-pt.sf"));
        string[] files = [.. Directory.EnumerateFiles(path).Select(file => System.IO.Path.GetFileName(file)).Order(StringComparer.Ordinal)];
        var result = new ClonezillaFolder(path, chosen, disks, table, files);
        result.ReadPartitions();
        result.Size = result.ReadSize();
        return result;
    }

    /// <summary>The image files of <paramref name="partition"/> (absolute), split pieces in order.</summary>
    public IEnumerable<string> FilesOf(ClonezillaPartition partition) =>
        partition.Files.Select(file => System.IO.Path.Combine(Path, file));

    /// <summary>
    /// The disk as <c>restoredisk</c> writes it back, as pieces of a <see cref="DiskSource"/> (docs/formats/clonezilla.md,
    /// "What restoredisk writes back"): boot code and table in LBA 0, the GPT copies or the hidden data after the MBR,
    /// the first EBR, each partition image at its start, swap headers. New warnings go to <see cref="Warnings"/>.
    /// </summary>
    /// <param name="swap">What swap partitions become: mkswap's header (default) or zeros over the whole partition
    /// (with or without <c>swappt-&lt;part&gt;.info</c>).</param>
    /// <exception cref="JobValidationException">A saved partition's image is missing, partitions overlap or reach past
    /// the disk, or a boot-area file does not fit.</exception>
    public IReadOnlyList<DiskPiece> BuildPieces(ClonezillaSwapMode swap = ClonezillaSwapMode.Mkswap)
    {
        long sectorSize = SectorSize;
        long diskBytes = Size.Sectors * sectorSize;
        CheckTable(diskBytes);
        if (Partitions.FirstOrDefault(partition => partition.Role == ClonezillaPartitionRole.Missing) is ClonezillaPartition missing)
        {
            throw new JobValidationException(Path, "$.source.path",
                $"partition {missing.Name} is listed in 'parts' but no image file of it ({missing.Name}.*-ptcl-img.*, {missing.Name}.ntfs-img, {missing.Name}.dd-img, {missing.Name}.aa) is in the folder");
        }
        var pieces = new List<DiskPiece>();
        AddBootAreas(pieces, diskBytes);
        foreach (ClonezillaPartition partition in Partitions)
        {
            long offset = partition.Table.Start * sectorSize;
            long length = partition.Table.Size * sectorSize;
            switch (partition.Role)
            {
                case ClonezillaPartitionRole.Image:
                    pieces.Add(new DiskPiece(partition.IsRaw ? DiskPieceKind.RawImage : DiskPieceKind.Image, partition.Name, offset, length,
                        FilesOf(partition).First()));
                    break;
                case ClonezillaPartitionRole.Swap when swap == ClonezillaSwapMode.Zeros:
                    pieces.Add(new DiskPiece(DiskPieceKind.Swap, partition.Name, offset, length, null) { Swap = new DiskSwapSpec { Zeros = true } });
                    break;
                case ClonezillaPartitionRole.Swap when partition.HasSwapInfo:
                    pieces.Add(new DiskPiece(DiskPieceKind.Swap, partition.Name, offset, length, null)
                    {
                        Swap = new DiskSwapSpec { Uuid = partition.SwapUuid, Label = partition.SwapLabel },
                    });
                    break;
                case ClonezillaPartitionRole.Swap:
                    _warnings.Add($"swap partition {partition.Name} has no swappt-{partition.Name}.info: restoredisk runs mkswap with a new random UUID; left absent here");
                    break;
                case ClonezillaPartitionRole.Extended:
                    AddExtendedBootRecord(pieces, partition);
                    break;
                case ClonezillaPartitionRole.NotSaved:
                    _warnings.Add($"partition {partition.Name} was not saved (not in 'parts'): absent");
                    break;
            }
        }
        return pieces;
    }

    private void CheckTable(long diskBytes)
    {
        long sectorSize = SectorSize;
        SfdiskPartition[] ordered = [.. Table.Partitions.OrderBy(partition => partition.Start)];
        SfdiskPartition? previous = null;
        foreach (SfdiskPartition partition in ordered)
        {
            string where = $"{Disk}-pt.sf line {partition.Line}";
            if (partition.Size <= 0)
            {
                throw new JobValidationException(Path, "$.source.path", $"{where}: partition {partition.Name} has size {partition.Size}");
            }
            if (partition.End * sectorSize > diskBytes)
            {
                throw new JobValidationException(Path, "$.source.path",
                    $"{where}: partition {partition.Name} (sectors {partition.Start}..{partition.End}) reaches past the end of the {Size.Sectors}-sector disk ({Size.Source})");
            }
            // Logical partitions lie inside their extended partition; only partitions of the same level may not overlap.
            if (previous is not null && partition.Start < previous.End && !(IsExtended(previous) && partition.End <= previous.End))
            {
                throw new JobValidationException(Path, "$.source.path",
                    $"{where}: partition {partition.Name} (sectors {partition.Start}..{partition.End}) overlaps {previous.Name} (sectors {previous.Start}..{previous.End})");
            }
            if (previous is null || !IsExtended(previous) || partition.End > previous.End)
            {
                previous = partition;
            }
        }
    }

    private void AddBootAreas(List<DiskPiece> pieces, long diskBytes)
    {
        string mbr = Combine($"{Disk}-mbr");
        bool hasMbr = File.Exists(mbr);
        if (hasMbr)
        {
            pieces.Add(new DiskPiece(DiskPieceKind.Bytes, $"{Disk}-mbr (boot code)", 0, BootCodeLength, mbr));
        }
        else
        {
            _warnings.Add($"{Disk}-mbr is missing: no boot code; bytes 0..{BootCodeLength} absent");
        }
        if (Table.IsGpt)
        {
            AddGptCopies(pieces, diskBytes);
            return;
        }
        // The dos table itself: sfdisk writes it from the dump; the saved MBR holds the same 66 bytes when the table
        // was written by sfdisk (checked against sfdisk in tests/fixtures/clonezilla).
        if (hasMbr)
        {
            pieces.Add(new DiskPiece(DiskPieceKind.Bytes, $"{Disk}-mbr (partition table)", BootCodeLength, 512 - BootCodeLength, mbr)
            {
                FileOffset = BootCodeLength,
            });
        }
        string hidden = Combine($"{Disk}-hidden-data-after-mbr");
        if (File.Exists(hidden))
        {
            long length = new FileInfo(hidden).Length;
            long gap = (Table.Partitions.Count == 0 ? Size.Sectors : Table.Partitions.Min(partition => partition.Start)) * SectorSize - 512;
            if (length > gap)
            {
                // restore_hidden_data_after_MBR skips the file when it is larger than the gap.
                _warnings.Add($"{Disk}-hidden-data-after-mbr has {length} bytes, more than the {gap} bytes before the first partition: not restored, as restoredisk skips it");
            }
            else if (length > 0)
            {
                pieces.Add(new DiskPiece(DiskPieceKind.Bytes, $"{Disk}-hidden-data-after-mbr", 512, length, hidden));
            }
        }
        else if (File.Exists(hidden + ".notes.txt"))
        {
            _warnings.Add($"the hidden data after the MBR was not saved ({Disk}-hidden-data-after-mbr.notes.txt): absent");
        }
    }

    private void AddGptCopies(List<DiskPiece> pieces, long diskBytes)
    {
        if (SectorSize != GptCopySector)
        {
            throw new JobValidationException(Path, "$.source.path",
                $"{Disk} has {SectorSize}-byte sectors; Clonezilla copies its GPT with dd bs=512, which does not hold a {SectorSize}-byte-sector GPT");
        }
        string first = Combine($"{Disk}-gpt-1st");
        string second = Combine($"{Disk}-gpt-2nd");
        if (!File.Exists(first) || new FileInfo(first).Length != GptFirstSectors * GptCopySector)
        {
            throw new JobValidationException(Path, "$.source.path",
                $"{Disk}-gpt-1st is {(File.Exists(first) ? $"{new FileInfo(first).Length} bytes; dd bs=512 count=34 writes {GptFirstSectors * GptCopySector}" : "missing")}");
        }
        long sectors = Size.Sectors;
        // LBA 0's table (the protective MBR's entry) and LBA 1..33 (header and entries) as saved.
        pieces.Add(new DiskPiece(DiskPieceKind.Bytes, $"{Disk}-gpt-1st (protective MBR table)", BootCodeLength, 512 - BootCodeLength, first) { FileOffset = BootCodeLength });
        pieces.Add(new DiskPiece(DiskPieceKind.Bytes, $"{Disk}-gpt-1st", 512, (GptFirstSectors - 1) * GptCopySector, first) { FileOffset = 512 });
        long secondLength = File.Exists(second) ? new FileInfo(second).Length : -1;
        // ocs-functions saves with skip=N-33+1 count=33: the last 32 sectors (backup entries 4..127 and the backup
        // header); the first sector of the backup entries (LBA N-33) is not in the file. It equals LBA 2 of the
        // primary copy in a consistent GPT, and sfdisk writes it so on restore.
        if (secondLength == 32 * GptCopySector)
        {
            pieces.Add(new DiskPiece(DiskPieceKind.Bytes, $"{Disk}-gpt-1st (first sector of the backup entries)", (sectors - 33) * GptCopySector, GptCopySector, first) { FileOffset = 2 * GptCopySector });
            pieces.Add(new DiskPiece(DiskPieceKind.Bytes, $"{Disk}-gpt-2nd", (sectors - 32) * GptCopySector, secondLength, second));
            CheckBackupMatches(first, second);
        }
        else if (secondLength == 33 * GptCopySector)
        {
            pieces.Add(new DiskPiece(DiskPieceKind.Bytes, $"{Disk}-gpt-2nd", (sectors - 33) * GptCopySector, secondLength, second));
        }
        else
        {
            throw new JobValidationException(Path, "$.source.path",
                $"{Disk}-gpt-2nd is {(secondLength < 0 ? "missing" : $"{secondLength} bytes; ocs-functions writes 32 sectors ({32 * GptCopySector} bytes)")}");
        }
        if (diskBytes < 67 * GptCopySector)
        {
            throw new JobValidationException(Path, "$.source.path", $"a {sectors}-sector disk cannot hold two GPT copies");
        }
    }

    /// <summary>Warns when the saved backup entries differ from the primary ones (a GPT that was inconsistent when
    /// saved: sfdisk would write the primary's on restore).</summary>
    private void CheckBackupMatches(string first, string second)
    {
        byte[] primary = File.ReadAllBytes(first);
        byte[] backup = File.ReadAllBytes(second);
        // Backup entries 4..127 = primary LBA 3..33; the backup header is the file's last sector.
        if (!primary.AsSpan(3 * GptCopySector, 31 * GptCopySector).SequenceEqual(backup.AsSpan(0, 31 * GptCopySector)))
        {
            _warnings.Add($"{Disk}-gpt-2nd: the saved backup partition entries differ from the primary ones in {Disk}-gpt-1st");
        }
        if (!backup.AsSpan(31 * GptCopySector, 8).SequenceEqual("EFI PART"u8))
        {
            _warnings.Add($"{Disk}-gpt-2nd: its last sector is not a GPT header (no 'EFI PART' at byte {31 * GptCopySector})");
        }
    }

    private void AddExtendedBootRecord(List<DiskPiece> pieces, ClonezillaPartition partition)
    {
        string ebr = Combine($"{partition.Name}-ebr");
        long offset = partition.Table.Start * SectorSize;
        if (File.Exists(ebr) && new FileInfo(ebr).Length >= 512)
        {
            pieces.Add(new DiskPiece(DiskPieceKind.Bytes, $"{partition.Name}-ebr", offset, 512, ebr));
        }
        else
        {
            _warnings.Add($"{partition.Name}-ebr is missing or short: the extended partition's boot record is absent");
        }
        int logicals = Table.Partitions.Count(other => other.Start > partition.Table.Start && other.End <= partition.Table.End);
        if (logicals > 1)
        {
            _warnings.Add($"the boot records of the {logicals - 1} logical partition(s) after the first in {partition.Name} are not in the folder (sfdisk writes them on restore): absent");
        }
    }

    private void ReadPartitions()
    {
        string partsFile = Combine("parts");
        SavedParts = File.Exists(partsFile) ? Words(ReadText(partsFile)) : [];
        var partitions = new List<ClonezillaPartition>();
        foreach (SfdiskPartition entry in Table.Partitions)
        {
            partitions.Add(Classify(entry));
        }
        Partitions = partitions;
    }

    private ClonezillaPartition Classify(SfdiskPartition entry)
    {
        if (IsExtended(entry))
        {
            return new ClonezillaPartition(entry, ClonezillaPartitionRole.Extended, []);
        }
        string[] images = [.. Files.Where(file => file.StartsWith(entry.Name + ".", StringComparison.Ordinal) && ImageName().IsMatch(file[(entry.Name.Length + 1)..]))];
        if (images.Length > 0)
        {
            Match match = ImageName().Match(images[0][(entry.Name.Length + 1)..]);
            string fs = match.Groups["fs"].Success ? match.Groups["fs"].Value : match.Groups["tool"].Value;
            string tool = match.Groups["tool"].Value switch
            {
                "ptcl" when fs == "dd" => "partclone.dd",
                "ptcl" => "partclone",
                "ntfs" => "ntfsclone",
                "dd" => "dd",
                _ => "partimage",
            };
            // All pieces of the first image found: same name up to the split suffix.
            string stem = match.Groups["split"].Success ? images[0][..^(match.Groups["split"].Length)] : images[0];
            string[] pieces = match.Groups["split"].Success
                ? [.. images.Where(file => file.StartsWith(stem, StringComparison.Ordinal) && file.Length > stem.Length && file[stem.Length..].All(char.IsAsciiLetterLower)).Order(StringComparer.Ordinal)]
                : [images[0]];
            return new ClonezillaPartition(entry, ClonezillaPartitionRole.Image, pieces)
            {
                FileSystem = tool is "partimage" or "ntfsclone" ? (tool == "ntfsclone" ? "ntfs" : null) : fs,
                Tool = tool,
                CompressionSuffix = match.Groups["comp"].Success ? match.Groups["comp"].Value : null,
            };
        }
        if (IsSwap(entry))
        {
            string info = Combine($"swappt-{entry.Name}.info");
            (string? uuid, string? label) = File.Exists(info) ? ReadSwapInfo(info) : (null, null);
            return new ClonezillaPartition(entry, ClonezillaPartitionRole.Swap, []) { HasSwapInfo = File.Exists(info), SwapUuid = uuid, SwapLabel = label };
        }
        return new ClonezillaPartition(entry, SavedParts.Contains(entry.Name) ? ClonezillaPartitionRole.Missing : ClonezillaPartitionRole.NotSaved, []);
    }

    private (long, string) ReadSize()
    {
        string parted = Combine($"{Disk}-pt.parted");
        if (File.Exists(parted))
        {
            // parted -s DISK unit s print: "Disk /dev/sda: 196608s".
            Match match = PartedDiskLine().Match(ReadText(parted));
            if (match.Success && long.TryParse(match.Groups["sectors"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long sectors) && sectors > 0)
            {
                return (sectors, $"{Disk}-pt.parted");
            }
        }
        if (Table.IsGpt && Table.LastLba is long last)
        {
            // The backup entries and header follow the last usable sector.
            long entrySectors = ((Table.TableLength * 128L) + SectorSize - 1) / SectorSize;
            _warnings.Add($"{Disk}-pt.parted gives no disk size: derived from {Disk}-pt.sf's last-lba");
            return (last + 1 + entrySectors + 1, $"{Disk}-pt.sf last-lba");
        }
        long end = Table.Partitions.Count == 0 ? 1 : Table.Partitions.Max(partition => partition.End);
        _warnings.Add($"{Disk}-pt.parted gives no disk size: the disk is taken to end with its last partition, at sector {end}");
        return (end, "the last partition");
    }

    private static (string?, string?) ReadSwapInfo(string path)
    {
        // output_swap_partition_uuid_label writes shell assignments: UUID="…" and LABEL="…".
        string? uuid = null, label = null;
        foreach (string line in ReadText(path).Split('\n'))
        {
            Match match = ShellAssignment().Match(line.Trim());
            if (!match.Success)
            {
                continue;
            }
            string value = match.Groups["value"].Value;
            if (match.Groups["key"].Value == "UUID")
            {
                uuid = value.Length == 0 ? null : value;
            }
            else
            {
                label = value.Length == 0 ? null : value;
            }
        }
        return (uuid, label);
    }

    private bool IsExtended(SfdiskPartition partition) =>
        !Table.IsGpt && partition.Type.ToLowerInvariant() is "5" or "f" or "85" or "05" or "0f";

    private bool IsSwap(SfdiskPartition partition) =>
        Table.IsGpt ? string.Equals(partition.Type, GptSwapType, StringComparison.OrdinalIgnoreCase) : partition.Type == "82";

    private string Combine(string name) => System.IO.Path.Combine(Path, name);

    private static string ReadText(string path)
    {
        long length = new FileInfo(path).Length;
        return length > MaxTextLength
            ? throw new ImageFormatException(path, "file", MaxTextLength, $"{length} bytes; a Clonezilla metadata file has at most {MaxTextLength}")
            : File.ReadAllText(path);
    }

    private static string[] Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    // <fs>-ptcl-img.<comp>[.aa], ntfs-img[.aa], dd-img[.aa], or a partimage piece "aa".
    [GeneratedRegex(@"^(?:(?<fs>[a-z0-9_+]+)-(?<tool>ptcl)-img\.(?<comp>[a-z0-9]+)|(?<tool>ntfs)-img|(?<tool>dd)-img|(?<tool>)(?=[a-z]{2,4}$))(?:\.?(?<split>[a-z]{2,4}))?$")]
    private static partial Regex ImageName();

    [GeneratedRegex(@"^Disk /dev/\S+: (?<sectors>[0-9]+)s$", RegexOptions.Multiline)]
    private static partial Regex PartedDiskLine();

    [GeneratedRegex("^(?<key>UUID|LABEL)=\"(?<value>[^\"]*)\"$")]
    private static partial Regex ShellAssignment();
}
