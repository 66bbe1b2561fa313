namespace ForensicPipe.Cli.Tests.Clonezilla;

/// <summary>
/// Clonezilla savedisk folders made with the real tools by tests/fixtures/clonezilla/make-folder.sh with Debian's
/// partclone 0.3.23 (GPT and MBR, pigz-compressed and uncompressed; GPT also pigz-compressed and split into 1 MB
/// pieces), each with its original disk and the disk rebuilt by rebuild-disk.sh with Clonezilla's own restore
/// commands; and today's folders (partclone 0.3.47 -a3 into zstd, compression "zst"), unpacked from the archive
/// make-0347-fixtures.sh committed with the SHA-256 of their rebuilt disks. All in a size-limited tmpfs unmounted in
/// <see cref="Dispose"/>.
/// </summary>
public sealed class ClonezillaFolderFixture : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly Dictionary<string, string> _todaysDigests = [];

    public ClonezillaFolderFixture()
    {
        Root = _directory.Path;
        ExternalTool.Shell(Root, "mount -t tmpfs -o size=900m tmpfs .");
        try
        {
            string scripts = Path.Combine(RepositoryRoot.Path, "tests", "fixtures", "clonezilla");
            foreach ((string layout, string compression) in new[] { ("gpt", "gz"), ("mbr", "gz"), ("mbr", "uncomp"), ("gpt", "uncomp"), ("gpt", "gz-split") })
            {
                string work = Path.Combine(Root, $"{layout}-{compression}");
                ExternalTool.Shell(Root, $"bash '{scripts}/make-folder.sh' {layout} {compression} '{work}' && bash '{scripts}/rebuild-disk.sh' '{work}/folder' '{work}/rebuilt.raw'");
            }
            ExternalTool.Shell(Root, $"mkdir archive && tar -xJf '{scripts}/folders-0347-zst.tar.xz' -C archive && " +
                "for l in gpt mbr; do mkdir $l-zst && mv archive/$l-zst $l-zst/folder; done && rmdir archive");
            _todaysDigests = File.ReadAllLines(Path.Combine(scripts, "folders-0347.sha256"))
                .Select(line => line.Split("  "))
                .ToDictionary(fields => fields[1], fields => fields[0]);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The tmpfs.</summary>
    public string Root { get; }

    /// <summary>The folder of a layout (gpt, mbr) and compression (gz, uncomp).</summary>
    public string Folder(string layout, string compression = "gz") => Path.Combine(Root, $"{layout}-{compression}", "folder");

    /// <summary>The disk the folder was saved from.</summary>
    public string Original(string layout, string compression = "gz") => Path.Combine(Root, $"{layout}-{compression}", "disk.raw");

    /// <summary>The SHA-256 of the disk Clonezilla's restore commands rebuild from the folder (for "zst", recorded by
    /// make-0347-fixtures.sh with partclone 0.3.47; else of <see cref="Rebuilt"/>).</summary>
    public string RebuiltSha256(string layout, string compression) =>
        compression == "zst" ? _todaysDigests[layout] : FileHash.Sha256(Rebuilt(layout, compression));

    /// <summary>The disk rebuilt from the folder with Clonezilla's restore commands (not for "zst").</summary>
    public string Rebuilt(string layout, string compression = "gz") => Path.Combine(Root, $"{layout}-{compression}", "rebuilt.raw");

    /// <summary>A copy of a folder in a fresh work folder under the tmpfs, to damage; earlier copies are deleted (the
    /// tests of a class run one at a time and the tmpfs is small).</summary>
    public string CopyOf(string layout, string compression = "gz")
    {
        Clear("copies");
        string copy = Path.Combine(Root, "copies", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(Folder(layout, compression)))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }
        return copy;
    }

    /// <summary>A fresh, empty folder under the tmpfs for outputs; earlier outputs are deleted.</summary>
    public string NewOutputFolder()
    {
        Clear("out");
        string folder = Path.Combine(Root, "out", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    public void Dispose()
    {
        ExternalTool.Shell("/", $"umount '{Root}' 2>/dev/null || true");
        _directory.Dispose();
    }

    private void Clear(string name)
    {
        string folder = Path.Combine(Root, name);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
