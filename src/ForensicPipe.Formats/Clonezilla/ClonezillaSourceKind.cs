using System.Text.Json.Serialization.Metadata;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Formats.Disk;
using ForensicPipe.Formats.Registry;

namespace ForensicPipe.Formats.Clonezilla;

/// <summary>The job source <c>"type": "clonezilla"</c>: the disk (or one partition) of a savedisk folder as a
/// <see cref="DiskSource"/>; partition images are read through the registry it was made with.</summary>
public sealed class ClonezillaSourceKind : SourceKind
{
    /// <summary>The job type and the format name in reports.</summary>
    public const string TypeName = "clonezilla";

    private readonly ImageFormatRegistry _formats;

    /// <summary>The kind whose images are read with <paramref name="formats"/>.</summary>
    public ClonezillaSourceKind(ImageFormatRegistry formats)
    {
        ArgumentNullException.ThrowIfNull(formats);
        _formats = formats;
    }

    /// <inheritdoc />
    public override string Type => TypeName;

    /// <inheritdoc />
    public override Type SpecType => typeof(ClonezillaSourceSpec);

    /// <inheritdoc />
    public override IJsonTypeInfoResolver SpecResolver => ClonezillaSpecJson.Default;

    /// <inheritdoc />
    public override IExtentSource CreateSource(SourceSpec spec, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var folderSpec = (ClonezillaSourceSpec)spec;
        return Open(ClonezillaFolder.Open(context.Resolve(folderSpec.Path), folderSpec.Disk), folderSpec.Partition, _formats, folderSpec.Swap,
            folderSpec.PartitionDigests);
    }

    /// <summary>The disk of <paramref name="folder"/>, or only <paramref name="partition"/> of it; swap partitions as
    /// <paramref name="swap"/> says; the SHA-256 of each partition in the report unless <paramref name="partitionDigests"/>
    /// is false.</summary>
    /// <exception cref="JobValidationException">The folder cannot make a complete disk (<see cref="ClonezillaFolder.BuildPieces"/>)
    /// or has no such partition.</exception>
    public static DiskSource Open(ClonezillaFolder folder, string? partition, ImageFormatRegistry formats,
        ClonezillaSwapMode swap = ClonezillaSwapMode.Mkswap, bool partitionDigests = true)
    {
        ArgumentNullException.ThrowIfNull(folder);
        IReadOnlyList<DiskPiece> pieces = folder.BuildPieces(swap);
        if (partition is null)
        {
            return new DiskSource(folder.Path, folder.Size.Sectors * folder.SectorSize, pieces, formats, folder.Path)
            {
                ExtraWarnings = folder.Warnings,
                FormatName = TypeName,
                PartitionDigests = partitionDigests,
            };
        }
        DiskPiece piece = pieces.FirstOrDefault(piece => piece.IsPartition && piece.Name == partition)
            ?? throw new JobValidationException(folder.Path, "$.source.partition",
                $"{folder.Disk} has no saved partition '{partition}' (saved: {string.Join(", ", pieces.Where(piece => piece.IsPartition).Select(piece => piece.Name))})");
        return new DiskSource(partition, piece.Length, [piece with { Offset = 0 }], formats, folder.Path) { FormatName = TypeName, PartitionDigests = partitionDigests };
    }
}
