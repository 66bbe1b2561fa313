using ForensicPipe.Core.Jobs;

namespace ForensicPipe.Cli;

/// <summary>Every source the CLI can build: Core's raw file plus the format readers and devices.</summary>
internal static class Components
{
    public static JobComponents Create()
    {
        var components = new JobComponents();
        Formats.FormatComponents.Register(components);
        Devices.DeviceComponents.Register(components);
        return components;
    }
}
