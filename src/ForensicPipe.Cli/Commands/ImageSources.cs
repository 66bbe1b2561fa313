using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Formats.Detection;

namespace ForensicPipe.Cli.Commands;

/// <summary>The job source spec for a detected image format.</summary>
internal static class ImageSources
{
    public static SourceSpec Create(string format, string path) => format switch
    {
        ImageFormatDetector.Partclone => new PartcloneSourceSpec { Path = path },
        ImageFormatDetector.Ntfsclone => new NtfscloneSourceSpec { Path = path },
        ImageFormatDetector.Partimage => new PartimageSourceSpec { Path = path },
        _ => throw new Core.Errors.JobValidationException("(command line)", "IMAGE", $"no reader for format '{format}'"),
    };
}
