namespace ForensicPipe.Devices.Listing;

/// <summary>
/// The block devices of this machine, from <c>/sys/block</c> and <c>/proc/self/mountinfo</c>, in the order an
/// examiner picks from: removable and USB devices first, then by name. Devices without a medium (size 0,
/// e.g. unbound loop devices) are left out unless removable (an empty card reader is worth seeing).
/// </summary>
public static class DeviceCatalog
{
    /// <summary>Lists the devices under <paramref name="sysBlock"/> with the mounts of <paramref name="mounts"/>.</summary>
    public static IReadOnlyList<BlockDeviceEntry> List(string sysBlock, IReadOnlyList<MountEntry> mounts)
    {
        ArgumentNullException.ThrowIfNull(sysBlock);
        ArgumentNullException.ThrowIfNull(mounts);
        if (!Directory.Exists(sysBlock))
        {
            return [];
        }
        return [.. Directory.GetFileSystemEntries(sysBlock)
            .Select(directory => SysBlock.Describe(directory, mounts))
            .Where(entry => entry.Size > 0 || entry.Removable)
            .OrderByDescending(entry => entry.IsRemovableOrUsb)
            .ThenBy(entry => entry.Name, StringComparer.Ordinal)];
    }

    /// <summary>Lists this machine's devices (empty where there is no <c>/sys/block</c>, e.g. on Windows).</summary>
    public static IReadOnlyList<BlockDeviceEntry> ListCurrent() => List(SysBlock.Root, MountInfo.ReadCurrent());
}
