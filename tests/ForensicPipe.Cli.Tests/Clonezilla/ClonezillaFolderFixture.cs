using ForensicPipe.Formats.Clonezilla;

namespace ForensicPipe.Cli.Tests.Clonezilla;

/// <summary>
/// Clonezilla savedisk folders made with the real tools by tests/fixtures/clonezilla/make-folder.sh (GPT and MBR,
/// pigz-compressed; MBR also uncompressed), each with its original disk and the disk rebuilt by
/// rebuild-disk.sh with Clonezilla's own restore commands, all in a size-limited tmpfs unmounted in
/// <see cref="Dispose"/>. B3SUMS is added here: Debian 12 has no b3sum (see docs/formats/clonezilla.md, "Manifests").
/// </summary>
public sealed class ClonezillaFolderFixture : IDisposable
{
    private readonly TempDirectory _directory = new();

    public ClonezillaFolderFixture()
    {
        Root = _directory.Path;
        ExternalTool.Shell(Root, "mount -t tmpfs -o size=900m tmpfs .");
        try
        {
            string scripts = Path.Combine(RepositoryRoot.Path, "tests", "fixtures", "clonezilla");
            foreach ((string layout, string compression) in new[] { ("gpt", "gz"), ("mbr", "gz"), ("mbr", "uncomp") })
            {
                string work = Path.Combine(Root, $"{layout}-{compression}");
                ExternalTool.Shell(Root, $"bash '{scripts}/make-folder.sh' {layout} {compression} '{work}' && bash '{scripts}/rebuild-disk.sh' '{work}/folder' '{work}/rebuilt.raw'");
                WriteB3Sums(Path.Combine(work, "folder"));
            }
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

    /// <summary>The disk rebuilt from the folder with Clonezilla's restore commands.</summary>
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

    /// <summary>`b3sum * > B3SUMS` as gen_checksums_for_img_if_assigned would run it: every file present before.</summary>
    private static void WriteB3Sums(string folder)
    {
        IEnumerable<string> lines = Directory.GetFiles(folder).Select(file => Path.GetFileName(file)).Order(StringComparer.Ordinal)
            .Select(name => $"{ClonezillaManifests.Digest("B3SUMS", Path.Combine(folder, name))}  {name}\n");
        File.WriteAllText(Path.Combine(folder, "B3SUMS"), string.Concat(lines));
    }
}
