using System.Text.Json.Nodes;

namespace ForensicPipe.Devices.Listing;

/// <summary>One whole block device as <c>/sys/block</c> describes it.</summary>
/// <param name="Name">Kernel name, e.g. <c>sdb</c>, <c>nvme0n1</c>, <c>loop3</c>.</param>
/// <param name="Path">Device node, e.g. <c>/dev/sdb</c>.</param>
/// <param name="DeviceNumber"><c>major:minor</c>.</param>
/// <param name="Model">Model, where the driver exposes it.</param>
/// <param name="Vendor">Vendor, where the driver exposes it.</param>
/// <param name="Serial">Serial number, where known (sysfs <c>serial</c>, SCSI VPD page 0x80, the USB device).</param>
/// <param name="Transport">usb, sata, nvme, virtio, mmc, scsi, loop, zram, … or unknown.</param>
/// <param name="Removable">The kernel's removable flag.</param>
/// <param name="ReadOnly">The kernel's read-only flag.</param>
/// <param name="Rotational">Spinning medium, per the kernel.</param>
/// <param name="Size">Bytes (sysfs <c>size</c> × 512).</param>
/// <param name="LogicalSectorSize">Logical sector size.</param>
/// <param name="PhysicalSectorSize">Physical sector size.</param>
/// <param name="BackingFile">A loop device's backing file.</param>
/// <param name="Mounts">Where the whole device is mounted.</param>
/// <param name="Partitions">Its partitions and their mounts.</param>
public sealed record BlockDeviceEntry(string Name, string Path, string DeviceNumber, string? Model, string? Vendor, string? Serial,
    string Transport, bool Removable, bool ReadOnly, bool Rotational, long Size, int LogicalSectorSize, int PhysicalSectorSize,
    string? BackingFile, IReadOnlyList<MountEntry> Mounts, IReadOnlyList<PartitionEntry> Partitions)
{
    /// <summary>Removable media and USB devices: what an examiner usually images, listed first.</summary>
    public bool IsRemovableOrUsb => Removable || Transport == "usb";

    /// <summary>Whether the device or one of its partitions is mounted.</summary>
    public bool IsMounted => Mounts.Count > 0 || Partitions.Any(p => p.Mounts.Count > 0);

    /// <summary>A short name for files: the model, or the kernel name.</summary>
    public string DisplayName => string.IsNullOrWhiteSpace(Model) ? Name : Model.Trim();

    /// <summary>The entry as JSON (for <c>fpipe devices --json</c> and the report).</summary>
    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["path"] = Path,
        ["deviceNumber"] = DeviceNumber,
        ["model"] = Model,
        ["vendor"] = Vendor,
        ["serial"] = Serial,
        ["transport"] = Transport,
        ["removable"] = Removable,
        ["readOnly"] = ReadOnly,
        ["rotational"] = Rotational,
        ["size"] = Size,
        ["logicalSectorSize"] = LogicalSectorSize,
        ["physicalSectorSize"] = PhysicalSectorSize,
        ["backingFile"] = BackingFile,
        ["mounts"] = MountsJson(Mounts),
        ["partitions"] = new JsonArray([.. Partitions.Select(p => (JsonNode?)new JsonObject
        {
            ["name"] = p.Name,
            ["path"] = p.Path,
            ["deviceNumber"] = p.DeviceNumber,
            ["size"] = p.Size,
            ["mounts"] = MountsJson(p.Mounts),
        })]),
    };

    private static JsonArray MountsJson(IReadOnlyList<MountEntry> mounts) => new([.. mounts.Select(m => (JsonNode?)new JsonObject
    {
        ["mountPoint"] = m.MountPoint,
        ["fileSystem"] = m.FileSystem,
    })]);
}
