using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;

namespace ForensicPipe.Devices;

/// <summary>Registers the <c>device</c> job source and the <c>device</c> (restore) sink.</summary>
public static class DeviceComponents
{
    /// <summary>Adds the device source and the device sink to <paramref name="components"/>.</summary>
    public static JobComponents Register(JobComponents components)
    {
        ArgumentNullException.ThrowIfNull(components);
        return components
            .RegisterSourceWithContext<DeviceSourceSpec>((spec, context) =>
                new DeviceSource(ResolvePath(spec.Path, context), OptionsOf(spec, context)))
            .RegisterSink<DeviceSinkSpec>((spec, context, at) =>
                new Restore.DeviceSink(ResolvePath(spec.Path, context), SinkOptionsOf(spec, context, at)));
    }

    /// <summary>The sink options a spec asks for; <paramref name="at"/> is its JSON path in the job.</summary>
    public static Restore.DeviceSinkOptions SinkOptionsOf(DeviceSinkSpec spec, JobContext context, string at)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(context);
        return new Restore.DeviceSinkOptions
        {
            Offset = spec.Offset,
            Verify = spec.Verify,
            AllowFile = spec.AllowFile,
            JobName = context.JobName,
            JsonPath = at,
        };
    }

    /// <summary>The source options a spec asks for, its mapfile resolved against the job file's folder.</summary>
    public static DeviceSourceOptions OptionsOf(DeviceSourceSpec spec, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(context);
        return new DeviceSourceOptions
        {
            ReportedSize = spec.ReportedSize,
            Probe = spec.Probe,
            Retries = spec.Retries,
            MaxBadSectors = spec.MaxBadSectors,
            MapfilePath = spec.Mapfile is string mapfile ? context.Resolve(mapfile) : null,
            DirectIo = spec.DirectIo,
            Resume = spec.Resume,
            RetryBad = spec.RetryBad,
        };
    }

    /// <summary>Device names are not paths on Windows (<c>E:</c>, <c>1</c>, <c>\\.\PhysicalDrive1</c>); on Linux a
    /// relative path is relative to the job file's folder.</summary>
    public static string ResolvePath(string path, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return OperatingSystem.IsWindows() ? path : context.Resolve(path);
    }
}
