namespace ForensicPipe.Devices.Windows;

/// <summary>What a Windows source name denotes.</summary>
public enum WindowsDeviceNameKind
{
    /// <summary>A physical disk: <c>\\.\PhysicalDriveN</c> or its number <c>N</c>.</summary>
    PhysicalDrive,

    /// <summary>A volume by drive letter: <c>E:</c> → <c>\\.\E:</c>.</summary>
    DriveLetter,

    /// <summary>A folder where a volume is mounted (<c>C:\CDROM</c>), resolved with
    /// <c>GetVolumeNameForVolumeMountPoint</c>.</summary>
    MountPoint,

    /// <summary>Already a device name (<c>\\.\…</c>, <c>\\?\Volume{…}</c>).</summary>
    DevicePath,
}
