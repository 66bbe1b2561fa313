using System.ComponentModel;

namespace ForensicPipe.Core.Jobs.Specs;

/// <summary>A block device (or a regular file read the same way): opened read-only, read with direct I/O,
/// probed past its reported size, bad sectors retried and recorded.</summary>
[Description("A block device (/dev/sdX, /dev/nvme0n1, /dev/loopN; \\\\.\\PhysicalDriveN, E: or a mount-point folder on Windows) or a regular file, opened read-only. Reads past the reported size until the device refuses; unreadable sectors become unreadable ranges (zeros unless a fill stage says otherwise).")]
public sealed class DeviceSourceSpec : SourceSpec
{
    // The properties with a default other than false/0 have setters, not init: the JSON source generator fills
    // init-only properties through an object initializer that writes false/0 over the default of every field a
    // job file leaves out (JobLoaderTests.Parse_DeviceSourceWithOnlyAPath_KeepsTheDocumentedDefaults).

    /// <summary>Upper bound of <see cref="Retries"/>.</summary>
    public const int MaxRetries = 64;

    /// <summary>Bytes to treat as the device's size instead of what the OS reports.</summary>
    [Description("Bytes to take as the device's size instead of what the OS reports (as WMI's TotalSectors, or ddrescue -s); a multiple of the logical sector size. Probing past it finds the rest.")]
    public long? ReportedSize { get; init; }

    /// <summary>Read sector by sector past the reported size until the device refuses.</summary>
    [Description("Read sector by sector past the reported size until the device refuses (EOF, EIO, EINVAL, a permission error); what it reads is part of the output (default true).")]
    public bool Probe { get; set; } = true;

    /// <summary>Extra reads of a sector that failed, before it counts as unreadable.</summary>
    [Description("Extra reads of a failed sector before it counts as unreadable: 0 to 64 (default 2).")]
    public int Retries { get; set; } = 2;

    /// <summary>The job fails when more sectors than this stay unreadable; null for no limit.</summary>
    [Description("Fail the job (exit 1, output left as .partial) once more sectors than this stay unreadable; absent means no limit.")]
    public long? MaxBadSectors { get; init; }

    /// <summary>A GNU ddrescue mapfile to write; relative to the job file's folder.</summary>
    [Description("Write a GNU ddrescue-compatible mapfile (finished and bad-sector areas) to this path; relative to the job file's folder.")]
    public string? Mapfile { get; init; }

    /// <summary>Continue an interrupted or failed acquisition from the raw-file output's <c>.partial</c> file and
    /// the <see cref="Mapfile"/>, reading only what the mapfile does not mark finished.</summary>
    [Description("Continue an interrupted or failed acquisition: read only what the mapfile does not mark finished, into the raw-file output's .partial file, and re-read the finished part from it for the digests. Needs mapfile; a mapfile of another source or output is refused. Without an existing mapfile the acquisition starts from the beginning (default false).")]
    public bool Resume { get; init; }

    /// <summary>With <see cref="Resume"/>: read the areas the mapfile marks bad again, sector by sector with
    /// <see cref="Retries"/> (ddrescue's retry passes), instead of keeping them unreadable.</summary>
    [Description("With resume: read the areas the mapfile marks bad again, sector by sector with the retries (as ddrescue's retry passes); what reads now is recovered (default false: they stay unreadable, filled as before).")]
    public bool RetryBad { get; init; }

    /// <summary>Read with O_DIRECT (FILE_FLAG_NO_BUFFERING on Windows).</summary>
    [Description("Read with O_DIRECT (FILE_FLAG_NO_BUFFERING on Windows), falling back to buffered reads where refused (default true).")]
    public bool DirectIo { get; set; } = true;
}
