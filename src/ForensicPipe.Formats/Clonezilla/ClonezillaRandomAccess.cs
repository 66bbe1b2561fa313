using ForensicPipe.Core.Errors;
using ForensicPipe.Formats.Disk;
using ForensicPipe.Formats.ImageAccess;
using ForensicPipe.Formats.Registry;

namespace ForensicPipe.Formats.Clonezilla;

/// <summary>The disk of a savedisk folder, or one partition of it, readable at any offset (<c>fpipe mount FOLDER</c>;
/// docs/formats/clonezilla.md, "Mounting a folder"): the same pieces as <see cref="ClonezillaSourceKind"/> reads in one
/// pass, each read where it lies.</summary>
public static class ClonezillaRandomAccess
{
    /// <summary>Opens the disk of <paramref name="folder"/>, or only <paramref name="partition"/> of it (at offset 0); swap
    /// partitions as <paramref name="swap"/> says.</summary>
    /// <exception cref="RandomAccessRefusedException">An image is compressed (the message names the restore command
    /// that makes a raw disk instead) or of a format without random access.</exception>
    /// <exception cref="JobValidationException">The folder cannot make a complete disk, or has no such partition.</exception>
    public static async ValueTask<DiskRandomAccess> OpenAsync(ClonezillaFolder folder, string? partition, ImageFormatRegistry formats,
        RandomAccessOptions options, ClonezillaSwapMode swap = ClonezillaSwapMode.Mkswap, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        IReadOnlyList<DiskPiece> pieces = folder.BuildPieces(swap);
        string disk = folder.Disks.Count > 1 ? $" --disk {folder.Disk}" : "";
        if (partition is null)
        {
            return await DiskRandomAccess.OpenAsync(folder.Path, ClonezillaSourceKind.TypeName, folder.Size.Sectors * folder.SectorSize, pieces, formats, options,
                $"restore the disk to a raw file first: fpipe restore '{folder.Path}'{disk} {folder.Disk}.raw --fill zero", cancellationToken).ConfigureAwait(false);
        }
        DiskPiece piece = pieces.FirstOrDefault(piece => piece.IsPartition && piece.Name == partition)
            ?? throw new JobValidationException(folder.Path, "$.source.partition",
                $"{folder.Disk} has no saved partition '{partition}' (saved: {string.Join(", ", pieces.Where(piece => piece.IsPartition).Select(piece => piece.Name))})");
        return await DiskRandomAccess.OpenAsync(folder.Path, ClonezillaSourceKind.TypeName, piece.Length, [piece with { Offset = 0 }], formats, options,
            $"restore the partition to a raw file first: fpipe restore '{folder.Path}'{disk} --partition {partition} {partition}.raw --fill zero", cancellationToken).ConfigureAwait(false);
    }
}
