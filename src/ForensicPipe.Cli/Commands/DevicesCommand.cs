using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Reporting;
using ForensicPipe.Devices.Listing;

namespace ForensicPipe.Cli.Commands;

/// <summary><c>fpipe devices [--json]</c>: every block device with identity, size, sector sizes, flags and
/// mounted partitions, from /sys/block and /proc/self/mountinfo; removable and USB devices first.</summary>
internal static class DevicesCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array instead of a table." };
        var command = new Command("devices", "List block devices (removable and USB first) with size, sector sizes and mounts.") { json };
        command.SetAction(parse =>
        {
            IReadOnlyList<BlockDeviceEntry> devices = DeviceCatalog.ListCurrent();
            if (parse.GetValue(json))
            {
                Console.Out.Write(new JsonArray([.. devices.Select(d => (JsonNode?)d.ToJson())]).ToJsonString(ReadableJson.Options) + "\n");
                return ExitCodes.Ok;
            }
            if (devices.Count == 0)
            {
                Console.Error.WriteLine($"fpipe: no block devices found in {SysBlock.Root} (listing works on Linux only)");
                return ExitCodes.Ok;
            }
            Console.Out.Write(Table(devices, numbered: false));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The devices as a table, one line each (numbered for the interactive choice).</summary>
    public static string Table(IReadOnlyList<BlockDeviceEntry> devices, bool numbered)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine($"{(numbered ? "  # " : "")}{"PATH",-16} {"SIZE",10} {"SECTOR",9} {"TRANSPORT",-9} {"FLAGS",-6} {"MODEL",-24} {"SERIAL",-20} MOUNTED");
        for (int i = 0; i < devices.Count; i++)
        {
            BlockDeviceEntry d = devices[i];
            string flags = (d.Removable ? "rm " : "") + (d.ReadOnly ? "ro" : "");
            string mounted = string.Join(", ", d.Mounts.Select(m => m.MountPoint)
                .Concat(d.Partitions.SelectMany(p => p.Mounts.Select(m => $"{p.Name} on {m.MountPoint}"))));
            string model = string.Join(' ', new[] { d.Vendor, d.Model }.Where(s => !string.IsNullOrWhiteSpace(s)));
            if (d.BackingFile is string backing)
            {
                model = model.Length == 0 ? backing : model + " " + backing;
            }
            text.AppendLine($"{(numbered ? $"{i + 1,3} " : "")}{d.Path,-16} {HumanSize(d.Size),10} {$"{d.LogicalSectorSize}/{d.PhysicalSectorSize}",9} " +
                $"{d.Transport,-9} {flags,-6} {model,-24} {d.Serial ?? "-",-20} {(mounted.Length == 0 ? "-" : mounted)}");
        }
        return text.ToString();
    }

    public static string HumanSize(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }
}
