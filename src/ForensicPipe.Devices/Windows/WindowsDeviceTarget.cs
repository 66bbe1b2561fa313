namespace ForensicPipe.Devices.Windows;

/// <summary>A parsed Windows source name.</summary>
/// <param name="Kind">What it denotes.</param>
/// <param name="DeviceName">The name CreateFile takes; for a mount point, the folder with the trailing
/// backslash that <c>GetVolumeNameForVolumeMountPoint</c> requires, still to be resolved.</param>
public sealed record WindowsDeviceTarget(WindowsDeviceNameKind Kind, string DeviceName);
