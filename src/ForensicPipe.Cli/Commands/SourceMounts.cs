using System.Text.Json.Nodes;
using ForensicPipe.Core.IO;
using ForensicPipe.Devices.Listing;

namespace ForensicPipe.Cli.Commands;

/// <summary>
/// Where a source device, or a partition of it, is mounted (<c>/proc/self/mountinfo</c>, parsed by
/// <see cref="MountInfo"/>; partitions from <c>/sys/dev/block/MAJ:MIN/*/dev</c>). A device mounted read-write
/// can change while it is copied, so the copy may not match any moment of it: <c>fpipe image</c> warns and the
/// report's <c>sourceMounts</c> section records it. docs/cli.md, "Mounted sources".
/// </summary>
internal static class SourceMounts
{
    private const int OptionsField = 5;

    /// <summary>A mount of the source: the mount entry and whether it is read-write.</summary>
    internal sealed record Mount(MountEntry Entry, bool ReadWrite);

    /// <summary>The mounts of <paramref name="path"/> and its partitions; empty for anything but a block device.</summary>
    public static IReadOnlyList<Mount> Of(string path)
    {
        if (!OperatingSystem.IsLinux() || !UnixFile.TryGetStatus(path, out UnixFileStatus status, out _) || status.Kind != UnixFileKind.BlockDevice)
        {
            return [];
        }
        string device = $"{status.RdevMajor}:{status.RdevMinor}";
        var numbers = new HashSet<string> { device };
        string folder = $"/sys/dev/block/{device}";
        try
        {
            foreach (string child in Directory.Exists(folder) ? Directory.GetDirectories(folder) : [])
            {
                string dev = Path.Combine(child, "dev");
                if (File.Exists(Path.Combine(child, "partition")) && File.Exists(dev))
                {
                    numbers.Add(File.ReadAllText(dev).Trim());
                }
            }
            return Parse(File.ReadAllText(MountInfo.ProcPath), numbers);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The mounts of the devices <paramref name="numbers"/> (<c>major:minor</c>) in a mountinfo text.</summary>
    public static IReadOnlyList<Mount> Parse(string mountInfo, IReadOnlySet<string> numbers)
    {
        var mounts = new List<Mount>();
        foreach (string line in mountInfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (MountInfo.Parse(line) is [MountEntry entry] && numbers.Contains(entry.DeviceNumber))
            {
                // The per-mount options (proc(5) field 6) start with rw or ro.
                string[] options = line.Split(' ')[OptionsField].Split(',');
                mounts.Add(new Mount(entry, options.Contains("rw")));
            }
        }
        return mounts;
    }

    /// <summary>The report section.</summary>
    public static JsonObject Describe(IReadOnlyList<Mount> mounts) => new()
    {
        ["mountedReadWrite"] = mounts.Any(mount => mount.ReadWrite),
        ["mounts"] = new JsonArray([.. mounts.Select(mount => (JsonNode?)new JsonObject
        {
            ["deviceNumber"] = mount.Entry.DeviceNumber,
            ["source"] = mount.Entry.Source,
            ["mountPoint"] = mount.Entry.MountPoint,
            ["fileSystem"] = mount.Entry.FileSystem,
            ["readWrite"] = mount.ReadWrite,
        })]),
    };
}
