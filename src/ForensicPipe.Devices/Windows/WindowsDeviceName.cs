using System.Globalization;
using ForensicPipe.Core.Errors;

namespace ForensicPipe.Devices.Windows;

/// <summary>
/// Turns what a user types into the device name CreateFile opens (docs/architecture.md,
/// "Prior art the behaviour follows"): a disk number <c>1</c> → <c>\\.\PhysicalDrive1</c>; a drive letter <c>e:</c> →
/// <c>\\.\E:</c>; a mount-point folder → its volume name from <c>GetVolumeNameForVolumeMountPoint</c>, which ends in a
/// backslash that CreateFile does not take (with it, the volume's root directory would be opened), so it is removed.
/// Pure: the volume lookup is passed in, so the rules are tested on any OS.
/// </summary>
public static class WindowsDeviceName
{
    private const string DevicePrefix = @"\\.\";
    private const string Win32Prefix = @"\\?\";
    private const string PhysicalDrivePrefix = DevicePrefix + "PhysicalDrive";

    /// <summary>Parses <paramref name="input"/>; throws <see cref="ForensicPipeException"/> when empty.</summary>
    public static WindowsDeviceTarget Parse(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        string text = input.Trim().Replace('/', '\\');
        if (text.Length == 0)
        {
            throw new ForensicPipeException("the device name is empty");
        }
        if (text.StartsWith(DevicePrefix, StringComparison.Ordinal) || text.StartsWith(Win32Prefix, StringComparison.Ordinal))
        {
            if (text.StartsWith(PhysicalDrivePrefix, StringComparison.OrdinalIgnoreCase))
            {
                return new WindowsDeviceTarget(WindowsDeviceNameKind.PhysicalDrive, PhysicalDrivePrefix + text[PhysicalDrivePrefix.Length..]);
            }
            return new WindowsDeviceTarget(WindowsDeviceNameKind.DevicePath, TrimTrailingBackslash(text));
        }
        if (uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint disk))
        {
            return new WindowsDeviceTarget(WindowsDeviceNameKind.PhysicalDrive, PhysicalDrivePrefix + disk.ToString(CultureInfo.InvariantCulture));
        }
        if (text.Length == 2 && char.IsAsciiLetter(text[0]) && text[1] == ':')
        {
            return new WindowsDeviceTarget(WindowsDeviceNameKind.DriveLetter, DevicePrefix + char.ToUpperInvariant(text[0]) + ":");
        }
        // A mount point must end in a backslash for GetVolumeNameForVolumeMountPoint.
        return new WindowsDeviceTarget(WindowsDeviceNameKind.MountPoint, text.EndsWith('\\') ? text : text + "\\");
    }

    /// <summary>Parses <paramref name="input"/> and resolves a mount point with
    /// <paramref name="volumeNameForMountPoint"/> (null when the folder is no mount point).</summary>
    public static string Resolve(string input, Func<string, string?> volumeNameForMountPoint)
    {
        ArgumentNullException.ThrowIfNull(volumeNameForMountPoint);
        WindowsDeviceTarget target = Parse(input);
        if (target.Kind != WindowsDeviceNameKind.MountPoint)
        {
            return target.DeviceName;
        }
        string volume = volumeNameForMountPoint(target.DeviceName)
            ?? throw new ForensicPipeException($"{input}: not a disk number, a drive letter such as E:, a device name or a mount-point folder");
        return TrimTrailingBackslash(volume);
    }

    /// <summary>Removes one trailing backslash (<c>\\?\Volume{…}\</c> → <c>\\?\Volume{…}</c>).</summary>
    public static string TrimTrailingBackslash(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length > 0 && name[^1] == '\\' ? name[..^1] : name;
    }
}
