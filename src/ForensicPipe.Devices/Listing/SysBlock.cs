using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ForensicPipe.Devices.Listing;

/// <summary>
/// Reads block-device facts from sysfs (Documentation/ABI/stable/sysfs-block): <c>size</c> in 512-byte
/// units whatever the sector size, <c>queue/logical_block_size</c>, <c>removable</c>, <c>ro</c>, and the
/// driver's <c>device/model</c>, <c>device/vendor</c>, serial numbers. Missing attributes are left null.
/// </summary>
public static class SysBlock
{
    /// <summary>Where the kernel lists whole block devices.</summary>
    public const string Root = "/sys/block";

    /// <summary>sysfs sizes count 512-byte units regardless of the device's sector size.</summary>
    private const int SysfsSectorSize = 512;

    // SCSI VPD page 0x80 (Unit Serial Number): byte 3 is the length, the serial follows from byte 4 (SPC-4 7.8.15).
    private const int VpdSerialLengthOffset = 3;
    private const int VpdSerialOffset = 4;

    /// <summary>Describes the whole device in <paramref name="directory"/> (a <c>/sys/block/NAME</c> folder).</summary>
    public static BlockDeviceEntry Describe(string directory, IReadOnlyList<MountEntry> mounts)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(mounts);
        string name = Path.GetFileName(directory.TrimEnd('/'));
        string number = Attribute(directory, "dev") ?? "";
        var partitions = new List<PartitionEntry>();
        foreach (string child in SafeDirectories(directory).Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(child, "partition")))
            {
                string partitionNumber = Attribute(child, "dev") ?? "";
                string partitionName = Path.GetFileName(child);
                partitions.Add(new PartitionEntry(partitionName, "/dev/" + partitionName, partitionNumber,
                    Number(child, "size") * SysfsSectorSize, [.. mounts.Where(m => m.DeviceNumber == partitionNumber)]));
            }
        }
        return new BlockDeviceEntry(
            name, "/dev/" + name, number,
            Attribute(directory, "device/model"),
            Attribute(directory, "device/vendor"),
            Serial(directory),
            Transport(directory, name),
            Number(directory, "removable") == 1,
            Number(directory, "ro") == 1,
            Number(directory, "queue/rotational") == 1,
            Number(directory, "size") * SysfsSectorSize,
            (int)Number(directory, "queue/logical_block_size", SysfsSectorSize),
            (int)Number(directory, "queue/physical_block_size", SysfsSectorSize),
            Attribute(directory, "loop/backing_file"),
            [.. mounts.Where(m => m.DeviceNumber == number)],
            partitions);
    }

    /// <summary>Identity of the device <paramref name="major"/>:<paramref name="minor"/> for the report (the
    /// whole disk's model, serial, transport; the partition when it is one), or null when sysfs has none.</summary>
    public static JsonObject? IdentityOf(uint major, uint minor)
    {
        string link = $"/sys/dev/block/{major}:{minor}";
        string? directory;
        try
        {
            directory = Directory.Exists(link) ? new DirectoryInfo(link).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? link : null;
        }
        catch (IOException)
        {
            directory = null;
        }
        if (directory is null)
        {
            return null;
        }
        bool isPartition = File.Exists(Path.Combine(directory, "partition"));
        string disk = isPartition ? Path.GetDirectoryName(directory)! : directory;
        JsonObject identity = Describe(disk, []).ToJson();
        identity.Remove("mounts");
        identity.Remove("partitions");
        identity.Remove("path");
        identity["sysfsSize"] = identity["size"]?.DeepClone();
        identity.Remove("size");
        if (isPartition)
        {
            identity["partition"] = new JsonObject
            {
                ["name"] = Path.GetFileName(directory),
                ["number"] = Number(directory, "partition"),
                ["startSector512"] = Number(directory, "start"),
                ["size"] = Number(directory, "size") * SysfsSectorSize,
            };
        }
        return identity;
    }

    private static string Transport(string directory, string name)
    {
        foreach ((string prefix, string transport) in (ReadOnlySpan<(string, string)>)[("loop", "loop"), ("nvme", "nvme"),
            ("zram", "zram"), ("ram", "ram"), ("md", "md"), ("dm-", "device-mapper"), ("mmcblk", "mmc"), ("nbd", "nbd")])
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return transport;
            }
        }
        string real = RealPath(directory);
        return real switch
        {
            _ when real.Contains("/usb", StringComparison.Ordinal) => "usb",
            _ when real.Contains("/virtio", StringComparison.Ordinal) => "virtio",
            _ when real.Contains("/ata", StringComparison.Ordinal) => "sata",
            _ when real.Contains("/mmc", StringComparison.Ordinal) => "mmc",
            _ when real.Contains("/host", StringComparison.Ordinal) => "scsi",
            _ => "unknown",
        };
    }

    private static string? Serial(string directory)
    {
        if ((Attribute(directory, "device/serial") ?? Attribute(directory, "serial")) is string serial)
        {
            return serial;
        }
        try
        {
            string vpd = Path.Combine(directory, "device/vpd_pg80");
            if (File.Exists(vpd))
            {
                byte[] page = File.ReadAllBytes(vpd);
                if (page.Length > VpdSerialOffset)
                {
                    int length = Math.Min(page[VpdSerialLengthOffset], page.Length - VpdSerialOffset);
                    string text = Encoding.ASCII.GetString(page, VpdSerialOffset, length).Trim();
                    if (text.Length > 0)
                    {
                        return text;
                    }
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        // A USB mass-storage device carries its serial on the USB device, an ancestor with idVendor.
        for (string? folder = RealPath(directory); !string.IsNullOrEmpty(folder) && folder != "/sys"; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(Path.Combine(folder, "idVendor")))
            {
                return Attribute(folder, "serial");
            }
        }
        return null;
    }

    private static string RealPath(string directory)
    {
        try
        {
            return new DirectoryInfo(directory).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? directory;
        }
        catch (IOException)
        {
            return directory;
        }
    }

    private static string[] SafeDirectories(string directory)
    {
        try
        {
            return Directory.GetDirectories(directory);
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>A sysfs attribute's text, trimmed; null when absent, unreadable or blank.</summary>
    internal static string? Attribute(string directory, string name)
    {
        try
        {
            string path = Path.Combine(directory, name);
            if (!File.Exists(path))
            {
                return null;
            }
            string text = File.ReadAllText(path).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long Number(string directory, string name, long fallback = 0) =>
        long.TryParse(Attribute(directory, name), NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value : fallback;
}
