using ForensicPipe.Core.Jobs;
using ForensicPipe.Formats.Registry;

namespace ForensicPipe.Formats;

/// <summary>Registers the backup-image readers as job sources, and the sources made of them (composite disk, Clonezilla folder).</summary>
public static class FormatComponents
{
    /// <summary>Adds every format of <paramref name="formats"/> (default: <see cref="ImageFormatRegistry.Default"/>)
    /// to <paramref name="components"/>.</summary>
    public static JobComponents Register(JobComponents components, ImageFormatRegistry? formats = null) =>
        Clonezilla.CompositeSources.Register((formats ?? ImageFormatRegistry.Default).RegisterInto(components), formats ?? ImageFormatRegistry.Default);
}
