namespace ForensicPipe.Devices.Listing;

/// <summary>A partition of a listed block device.</summary>
/// <param name="Name">Kernel name, e.g. <c>sdb1</c>.</param>
/// <param name="Path">Device node, e.g. <c>/dev/sdb1</c>.</param>
/// <param name="DeviceNumber"><c>major:minor</c>.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Mounts">Where it is mounted.</param>
public sealed record PartitionEntry(string Name, string Path, string DeviceNumber, long Size, IReadOnlyList<MountEntry> Mounts);
