using ForensicPipe.Core.Jobs;
using ForensicPipe.Formats.Registry;

namespace ForensicPipe.Cli;

/// <summary>What the commands read and run with: the image formats (detection, readers, random access) and
/// the job components made from them plus the devices. fpipe uses <see cref="Default"/>; a test may serve
/// the same commands with a registry of its own formats.</summary>
internal sealed class FpipeServices
{
    public FpipeServices(ImageFormatRegistry formats)
    {
        ArgumentNullException.ThrowIfNull(formats);
        Formats = formats;
        JobComponents = Devices.DeviceComponents.Register(ForensicPipe.Formats.Clonezilla.CompositeSources.Register(formats.RegisterInto(new JobComponents()), formats));
    }

    /// <summary>The formats of this assembly's registry.</summary>
    public static FpipeServices Default { get; } = new(ImageFormatRegistry.Default);

    /// <summary>The image formats, in detection order.</summary>
    public ImageFormatRegistry Formats { get; }

    /// <summary>Sources (the raw file, every format, devices) and sinks for jobs; also the job file contract.</summary>
    public JobComponents JobComponents { get; }
}
