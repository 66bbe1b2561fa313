using System.Text.Json.Serialization.Metadata;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Formats.Registry;

namespace ForensicPipe.Formats.Disk;

/// <summary>The job source <c>"type": "disk"</c>: a <see cref="DiskSource"/> from a <see cref="DiskSourceSpec"/>;
/// partition images are opened through the registry it was made with.</summary>
public sealed class DiskSourceKind : SourceKind
{
    private readonly ImageFormatRegistry _formats;

    /// <summary>The kind whose images are read with <paramref name="formats"/>.</summary>
    public DiskSourceKind(ImageFormatRegistry formats)
    {
        ArgumentNullException.ThrowIfNull(formats);
        _formats = formats;
    }

    /// <inheritdoc />
    public override string Type => DiskSource.TypeName;

    /// <inheritdoc />
    public override Type SpecType => typeof(DiskSourceSpec);

    /// <inheritdoc />
    public override IJsonTypeInfoResolver SpecResolver => DiskSpecJson.Default;

    /// <inheritdoc />
    public override IExtentSource CreateSource(SourceSpec spec, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var disk = (DiskSourceSpec)spec;
        return new DiskSource(context.Resolve(disk.Path), disk.Size, disk.Pieces.Select((piece, i) => ToPiece(piece, i, context)), _formats, context.JobName);
    }

    private static DiskPiece ToPiece(DiskPieceSpec spec, int index, JobContext context)
    {
        string at = $"$.source.pieces[{index}]";
        int given = (spec.File is null ? 0 : 1) + (spec.Image is null ? 0 : 1) + (spec.Swap is null ? 0 : 1);
        if (given != 1)
        {
            throw new JobValidationException(context.JobName, at, "a piece has exactly one of file, image and swap");
        }
        string? path = spec.File ?? spec.Image;
        string name = spec.Name ?? (path is null ? $"swap at byte {spec.Offset}" : Path.GetFileName(path));
        DiskPieceKind kind = spec.File is not null ? DiskPieceKind.Bytes
            : spec.Swap is not null ? DiskPieceKind.Swap
            : spec.Format == "raw" ? DiskPieceKind.RawImage
            : DiskPieceKind.Image;
        return new DiskPiece(kind, name, spec.Offset, spec.Length, path is null ? null : context.Resolve(path))
        {
            FileOffset = spec.FileOffset,
            Format = kind == DiskPieceKind.Image ? spec.Format : null,
            Swap = spec.Swap,
        };
    }
}
