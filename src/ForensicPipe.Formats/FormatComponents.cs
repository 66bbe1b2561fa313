using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Formats.Ntfsclone;
using ForensicPipe.Formats.Partclone;
using ForensicPipe.Formats.Partimage;

namespace ForensicPipe.Formats;

/// <summary>Registers the backup-image readers as job sources.</summary>
public static class FormatComponents
{
    /// <summary>Adds every reader of this assembly to <paramref name="components"/>.</summary>
    public static JobComponents Register(JobComponents components)
    {
        ArgumentNullException.ThrowIfNull(components);
        return components
            .RegisterSource<PartcloneSourceSpec>((_, path) => PartcloneReader.Open(path))
            .RegisterSource<NtfscloneSourceSpec>((_, path) => NtfscloneReader.Open(path))
            .RegisterSource<PartimageSourceSpec>((_, path) => PartimageReader.Open(path));
    }
}
