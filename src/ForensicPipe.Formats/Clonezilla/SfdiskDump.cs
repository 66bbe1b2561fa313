using System.Globalization;
using ForensicPipe.Core.Errors;

namespace ForensicPipe.Formats.Clonezilla;

/// <summary>
/// A partition table as <c>sfdisk -d</c> writes it (Clonezilla's <c>&lt;disk&gt;-pt.sf</c>, docs/formats/clonezilla.md,
/// "The partition table dump"): header lines <c>key: value</c>, a blank line, then one line per partition with
/// comma-separated <c>key=value</c> fields and bare flags (<c>bootable</c>). Only the fields fpipe uses are kept.
/// </summary>
public sealed class SfdiskDump
{
    /// <summary>Largest dump read: a table of thousands of partitions is a few hundred KiB.</summary>
    public const int MaxLength = 1 << 20;

    /// <summary>Most partitions accepted (GPT tables hold 128 by default; sfdisk allows more).</summary>
    public const int MaxPartitions = 4096;

    private SfdiskDump(string label, int sectorSize, IReadOnlyList<SfdiskPartition> partitions)
    {
        Label = label;
        SectorSize = sectorSize;
        Partitions = partitions;
    }

    /// <summary><c>dos</c> or <c>gpt</c>.</summary>
    public string Label { get; }

    /// <summary>Bytes per logical sector (<c>sector-size:</c>; 512 when absent, as sfdisk before 2.35 wrote no such line).</summary>
    public int SectorSize { get; }

    /// <summary>The disk's id (<c>label-id:</c>), or null.</summary>
    public string? LabelId { get; private init; }

    /// <summary>The GPT's last usable sector (<c>last-lba:</c>), or null.</summary>
    public long? LastLba { get; private init; }

    /// <summary>The GPT's first usable sector (<c>first-lba:</c>), or null.</summary>
    public long? FirstLba { get; private init; }

    /// <summary>Entries of the GPT partition array (<c>table-length:</c>; 128 when absent).</summary>
    public int TableLength { get; private init; } = 128;

    /// <summary>The partitions in the order of the dump.</summary>
    public IReadOnlyList<SfdiskPartition> Partitions { get; }

    /// <summary>Whether the table is a GPT.</summary>
    public bool IsGpt => Label == "gpt";

    /// <summary>Reads and parses <paramref name="path"/>.</summary>
    /// <exception cref="ImageFormatException">The file is too long or does not parse.</exception>
    public static SfdiskDump Load(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new ImageFormatException("sfdisk dump", "file", 0, $"{path} does not exist");
        }
        if (file.Length > MaxLength)
        {
            throw new ImageFormatException("sfdisk dump", "file", MaxLength, $"{path} has {file.Length} bytes; a partition table dump has at most {MaxLength}");
        }
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses the text of a dump; <paramref name="name"/> names it in messages.</summary>
    /// <exception cref="ImageFormatException">A line that does not parse, with its byte offset.</exception>
    public static SfdiskDump Parse(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? label = null;
        string? labelId = null;
        long? firstLba = null, lastLba = null;
        int sectorSize = 512, tableLength = 128;
        var partitions = new List<SfdiskPartition>();
        int offset = 0;
        string[] lines = text.Split('\n');
        for (int number = 1; number <= lines.Length; number++)
        {
            string line = lines[number - 1].TrimEnd('\r');
            int lineOffset = offset;
            offset += lines[number - 1].Length + 1;
            string trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }
            int colon = trimmed.IndexOf(':', StringComparison.Ordinal);
            // Header values never hold '='; every partition line does (start=).
            if (trimmed.Contains('=', StringComparison.Ordinal))
            {
                if (partitions.Count == MaxPartitions)
                {
                    Throw(name, number, lineOffset, $"more than {MaxPartitions} partitions");
                }
                partitions.Add(ParsePartition(trimmed, name, number, lineOffset));
                continue;
            }
            if (colon <= 0)
            {
                Throw(name, number, lineOffset, $"'{Shorten(trimmed)}' is neither 'key: value' nor a partition line");
            }
            string key = trimmed[..colon].Trim();
            string value = trimmed[(colon + 1)..].Trim();
            switch (key)
            {
                case "label":
                    label = value;
                    break;
                case "label-id":
                    labelId = value;
                    break;
                case "first-lba":
                    firstLba = Number(value, name, number, lineOffset, key);
                    break;
                case "last-lba":
                    lastLba = Number(value, name, number, lineOffset, key);
                    break;
                case "table-length":
                    tableLength = (int)Math.Clamp(Number(value, name, number, lineOffset, key), 1, 1 << 16);
                    break;
                case "sector-size":
                    long size = Number(value, name, number, lineOffset, key);
                    if (size is not (512 or 1024 or 2048 or 4096))
                    {
                        Throw(name, number, lineOffset, $"sector-size {size} is not 512, 1024, 2048 or 4096");
                    }
                    sectorSize = (int)size;
                    break;
                case "unit":
                    if (value != "sectors")
                    {
                        Throw(name, number, lineOffset, $"unit '{value}' is not 'sectors'");
                    }
                    break;
                default:
                    // device:, grain:, and keys of newer sfdisk versions carry nothing fpipe needs.
                    break;
            }
        }
        if (label is not ("dos" or "gpt"))
        {
            Throw(name, 1, 0, label is null ? "no 'label:' line: not an sfdisk dump" : $"label '{label}' is neither dos nor gpt");
        }
        return new SfdiskDump(label!, sectorSize, partitions)
        {
            LabelId = labelId,
            FirstLba = firstLba,
            LastLba = lastLba,
            TableLength = tableLength,
        };
    }

    private static SfdiskPartition ParsePartition(string line, string name, int number, int offset)
    {
        // Device paths hold no ':' (sfdisk writes "/dev/sda1 : start=…").
        int colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            Throw(name, number, offset, $"partition line '{Shorten(line)}' has no ':' after the device");
        }
        string device = line[..colon].Trim();
        string partition = device.StartsWith("/dev/", StringComparison.Ordinal) ? device[5..] : Path.GetFileName(device);
        // Clonezilla's to_filename turns the '/' of names such as cciss/c0d0p1 into '-'.
        partition = partition.Replace('/', '-');
        long? start = null, size = null;
        string? type = null, uuid = null, label = null;
        bool bootable = false;
        foreach (string field in SplitFields(line[(colon + 1)..]))
        {
            int equals = field.IndexOf('=', StringComparison.Ordinal);
            string key = (equals < 0 ? field : field[..equals]).Trim();
            string value = equals < 0 ? "" : field[(equals + 1)..].Trim();
            switch (key)
            {
                case "start":
                    start = Number(value, name, number, offset, key);
                    break;
                case "size":
                    size = Number(value, name, number, offset, key);
                    break;
                case "type":
                case "Id":
                    type = value;
                    break;
                case "uuid":
                    uuid = value;
                    break;
                case "name":
                    label = value.Trim('"');
                    break;
                case "bootable":
                    bootable = true;
                    break;
                default:
                    break;
            }
        }
        if (start is null || size is null || type is null)
        {
            Throw(name, number, offset, $"partition {partition} lacks {(start is null ? "start" : size is null ? "size" : "type")}");
        }
        return new SfdiskPartition(partition, start!.Value, size!.Value, type!, number) { Uuid = uuid, Label = label, Bootable = bootable };
    }

    /// <summary>Splits on commas outside double quotes (names may hold commas).</summary>
    private static IEnumerable<string> SplitFields(string text)
    {
        int begin = 0;
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                quoted = !quoted;
            }
            else if (text[i] == ',' && !quoted)
            {
                yield return text[begin..i];
                begin = i + 1;
            }
        }
        yield return text[begin..];
    }

    private static long Number(string value, string name, int number, int offset, string key)
    {
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long result) || result > long.MaxValue / 4096)
        {
            Throw(name, number, offset, $"{key} '{Shorten(value)}' is not a sector number");
        }
        return result;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";

    private static void Throw(string name, int number, int offset, string detail) =>
        throw new ImageFormatException($"{name} (sfdisk dump)", $"line {number}", offset, detail);
}
