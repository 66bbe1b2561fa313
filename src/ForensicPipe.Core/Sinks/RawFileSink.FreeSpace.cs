using ForensicPipe.Core.Errors;
using ForensicPipe.Core.IO;
using ForensicPipe.Core.Pipeline;

namespace ForensicPipe.Core.Sinks;

public sealed partial class RawFileSink
{
    /// <summary>Refuses, before anything is written, an output its file system cannot hold: the partition
    /// size, or for a sparse output only the bytes the input holds (<see cref="SourceInfo.DataBytes"/>, when
    /// known). A header that claims 16 TiB is refused here instead of filling the disk.</summary>
    public void CheckTarget(SourceInfo source)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckTarget();
        (long? needed, string what) = _sparse
            ? (source.DataBytes, "the data bytes of a sparse output")
            : (source.Size, "the partition size");
        if (needed is not long bytes || FreeSpace.AvailableBytes(FinalPath) is not long free)
        {
            return;
        }
        // A resumed output already holds its first bytes.
        if (_keepPartial && File.Exists(PartialPath))
        {
            bytes = Math.Max(0, bytes - new FileInfo(PartialPath).Length);
        }
        if (bytes > free)
        {
            // A forged size is the likely cause: said in the same line, since no report is written for a refusal.
            string claim = Reporting.SizeClaim.Warning(source) is string warning ? $"; warning: {warning}" : "";
            throw new JobValidationException(FinalPath, "$",
                $"refused, nothing written: the output needs {bytes} bytes ({what}), its file system has {free} bytes free{claim}");
        }
    }
}
