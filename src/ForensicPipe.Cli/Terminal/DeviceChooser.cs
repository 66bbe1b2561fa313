using System.Globalization;
using System.Text;
using ForensicPipe.Cli.Commands;
using ForensicPipe.Core.Errors;
using ForensicPipe.Devices.Listing;

namespace ForensicPipe.Cli.Terminal;

/// <summary>
/// Asks on the terminal which device to copy, as quickdd does (docs/architecture.md,
/// "Prior art the behaviour follows"): lists the devices (removable and USB first) and reads a number or a path. Only
/// called when standard input is a terminal.
/// </summary>
internal static class DeviceChooser
{
    /// <summary>The device the user picked, or throws <see cref="JobValidationException"/> when none was.</summary>
    public static BlockDeviceEntry Choose(TextReader input, TextWriter output)
    {
        IReadOnlyList<BlockDeviceEntry> devices = DeviceCatalog.ListCurrent();
        if (devices.Count == 0)
        {
            throw new JobValidationException("(command line)", "SRC", $"no source given and no block devices found in {SysBlock.Root}");
        }
        output.WriteLine("Block devices (removable and USB first):");
        output.Write(DevicesCommand.Table(devices, numbered: true));
        output.Write($"Copy which device? Number 1-{devices.Count} or a path, empty to cancel: ");
        output.Flush();
        string answer = (input.ReadLine() ?? "").Trim();
        if (answer.Length == 0)
        {
            throw new JobValidationException("(command line)", "SRC", "no device chosen");
        }
        if (int.TryParse(answer, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number >= 1 && number <= devices.Count)
        {
            return devices[number - 1];
        }
        return devices.FirstOrDefault(d => d.Path == answer || d.Name == answer)
            ?? throw new JobValidationException("(command line)", "SRC", $"'{answer}' is not a number from 1 to {devices.Count} or a listed device");
    }

    /// <summary>An output name from the device's model or kernel name (seed: <c>IntegralCourierUSBDevice.copy</c>).</summary>
    public static string OutputNameFor(BlockDeviceEntry device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var name = new StringBuilder();
        foreach (char c in device.DisplayName)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            {
                name.Append(c);
            }
        }
        return (name.Length == 0 ? device.Name : name.ToString()) + ".raw";
    }
}
