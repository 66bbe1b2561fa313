using ForensicPipe.Core.Jobs;
using ForensicPipe.Formats.Disk;
using ForensicPipe.Formats.Registry;

namespace ForensicPipe.Formats.Clonezilla;

/// <summary>Registers the sources built from other images: the composite <c>disk</c> and the <c>clonezilla</c> folder.</summary>
public static class CompositeSources
{
    /// <summary>Adds the <c>disk</c> and <c>clonezilla</c> source kinds, reading images with <paramref name="formats"/>.</summary>
    public static JobComponents Register(JobComponents components, ImageFormatRegistry formats)
    {
        ArgumentNullException.ThrowIfNull(components);
        return components.AddSource(new DiskSourceKind(formats)).AddSource(new ClonezillaSourceKind(formats));
    }
}
