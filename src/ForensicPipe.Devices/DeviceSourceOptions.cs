namespace ForensicPipe.Devices;

/// <summary>How a <see cref="DeviceSource"/> reads (the job's <c>device</c> source fields).</summary>
public sealed record DeviceSourceOptions
{
    /// <summary>Bytes to take as the device's size instead of the OS's figure; null for the OS's.</summary>
    public long? ReportedSize { get; init; }

    /// <summary>Read sector by sector past the reported size until the device refuses.</summary>
    public bool Probe { get; init; } = true;

    /// <summary>Extra reads of a failed sector before it counts as unreadable.</summary>
    public int Retries { get; init; } = 2;

    /// <summary>Fail once more sectors than this stay unreadable; null for no limit.</summary>
    public long? MaxBadSectors { get; init; }

    /// <summary>Where to write a GNU ddrescue mapfile; null for none.</summary>
    public string? MapfilePath { get; init; }

    /// <summary>Continue from the mapfile and the output's <c>.partial</c> file (<see cref="Core.Jobs.Specs.DeviceSourceSpec.Resume"/>).</summary>
    public bool Resume { get; init; }

    /// <summary>On resume, read the mapfile's bad areas again (<see cref="Core.Jobs.Specs.DeviceSourceSpec.RetryBad"/>).</summary>
    public bool RetryBad { get; init; }

    /// <summary>How often the mapfile is rewritten while reading: what a kill or a power loss can cost.</summary>
    public TimeSpan MapfileInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Ask for direct I/O.</summary>
    public bool DirectIo { get; init; } = true;
}
