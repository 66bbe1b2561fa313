namespace ForensicPipe.Devices.Listing;

/// <summary>One line of <c>/proc/self/mountinfo</c>: what is mounted where.</summary>
/// <param name="DeviceNumber">The mounted device as <c>major:minor</c>.</param>
/// <param name="MountPoint">Where it is mounted (escapes decoded).</param>
/// <param name="FileSystem">The file system type.</param>
/// <param name="Source">The mount source as given (e.g. <c>/dev/sdb1</c>).</param>
public sealed record MountEntry(string DeviceNumber, string MountPoint, string FileSystem, string Source);
