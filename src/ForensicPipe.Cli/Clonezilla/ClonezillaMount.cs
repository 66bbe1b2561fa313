using System.CommandLine;
using System.Text;
using ForensicPipe.Cli.Commands;
using ForensicPipe.Cli.Mount;
using ForensicPipe.Formats.Clonezilla;
using ForensicPipe.Formats.Disk;
using ForensicPipe.Formats.ImageAccess;

namespace ForensicPipe.Cli.Clonezilla;

/// <summary>
/// <c>fpipe mount FOLDER MOUNTPOINT [--disk sda] [--partition sda2] [--swap mkswap|zeros]</c> (docs/formats/clonezilla.md, "Mounting a folder"):
/// a read-only file for the whole disk, named after it (<c>sda</c>), as restoredisk would write it back, and one file
/// per saved partition (<c>sda1</c>, …) holding the same bytes as the disk file at the partition's offset; with
/// <c>--partition</c>, that partition's file alone. Every piece is read in place: partition images through their
/// format's random access, so a folder of compressed images is refused with the restore command that helps.
/// </summary>
internal static class ClonezillaMount
{
    /// <summary>Opens the folder's disk (or partition) and serves it until unmounted.</summary>
    public static async Task<int> ServeAsync(FpipeServices services, ParseResult parse, string path, string mountPoint, RandomAccessOptions options,
        CancellationToken cancellationToken)
    {
        ClonezillaFolder folder = ClonezillaFolder.Open(path, parse.GetValue(ClonezillaVerbs.Disk));
        string? partition = parse.GetValue(ClonezillaVerbs.Partition);
        using DiskRandomAccess disk = await ClonezillaRandomAccess.OpenAsync(folder, partition, services.Formats, options,
            ClonezillaVerbs.SwapMode(parse), cancellationToken);
        foreach (string warning in folder.Warnings)
        {
            MountCommand.Log($"fpipe: warning: {warning}");
        }
        var files = new List<(string Name, IRandomAccessImage Image, DiskPiece? Piece)>();
        if (partition is null)
        {
            files.Add((folder.Disk, disk, null));
            files.AddRange(disk.Pieces.Where(piece => piece.IsPartition).Select(piece => (piece.Name, disk.Slice(piece), (DiskPiece?)piece)));
        }
        else
        {
            files.Add((partition, disk.Slice(disk.Pieces[0]), null));
        }
        long modified = new DateTimeOffset(Directory.GetLastWriteTimeUtc(folder.Path)).ToUnixTimeSeconds();
        var state = new VirtualPartitionFileSystem.State([.. files.Select(file => (file.Name, file.Image))], modified);
        return MountCommand.Serve(state, mountPoint, parse.GetValue(Commands.CommonOptions.Quiet), root => PrintInstructions(folder, disk, files, mountPoint, partition is null, root));
    }

    private static void PrintInstructions(ClonezillaFolder folder, DiskRandomAccess disk, List<(string Name, IRandomAccessImage Image, DiskPiece? Piece)> files,
        string mountPoint, bool wholeDisk, bool root)
    {
        string sudo = root ? "" : "sudo ";
        var text = new StringBuilder();
        string first = Path.Combine(mountPoint, files[0].Name);
        text.Append(wholeDisk
            ? $"Virtual disk provided as '{first}' ({disk.Length} bytes, {folder.Table.Label} partition table, Clonezilla folder '{folder.Path}'), and its saved partitions beside it.\n"
            : $"Virtual partition provided as '{first}' ({disk.Length} bytes, from the Clonezilla folder '{folder.Path}').\n");
        if (disk.IndexMemoryBytes > 0)
        {
            text.Append($"Random-access index in memory: {disk.IndexMemoryBytes} bytes.\n");
        }
        text.Append('\n');
        if (wholeDisk)
        {
            text.Append($"The partition table can be listed with:\n   fdisk -l '{first}'\n\n");
        }
        text.Append("The file systems can be checked and mounted read-only (DIR: an empty directory) with these commands:\n");
        foreach ((string name, IRandomAccessImage image, DiskPiece? piece) in files.Skip(wholeDisk ? 1 : 0))
        {
            string file = Path.Combine(mountPoint, name);
            FileSystemProbe.Kind? kind = FileSystemProbe.Detect(image);
            string offset = piece is null ? "" : $" (disk bytes {piece.Offset}..{piece.End}: losetup -r -o {piece.Offset} --sizelimit {piece.Length} '{first}')";
            text.Append(image.Format == "swap" ? $"   {name}: swap area, as mkswap writes it (blkid '{file}'){offset}\n"
                : kind is null ? $"   {name}: no file system recognised ({image.Format}){offset}\n"
                : $"   {name}: {kind.CheckCommand} '{file}'; {sudo}mount -t {kind.MountType} -o loop,ro '{file}' DIR{offset}\n");
        }
        text.Append('\n');
        text.Append(MountCommand.ServingLines(mountPoint, root));
        Console.Out.Write(text.ToString());
        Console.Out.Flush();
    }
}
