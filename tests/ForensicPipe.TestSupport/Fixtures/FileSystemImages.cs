namespace ForensicPipe.TestSupport;

/// <summary>Raw partitions made with the real mkfs tools in sparse files, for the imaging tools to save.</summary>
public static class FileSystemImages
{
    /// <summary>The volume serial of every FAT made here; <c>mkfs.vfat --invariant</c> pins the rest, so the same
    /// files give the same bytes.</summary>
    public const string FatVolumeId = "5678ABCD";

    /// <summary>A sparse file of <paramref name="size"/> bytes (as <c>truncate -s</c>).</summary>
    public static void CreateSparse(string path, long size)
    {
        using FileStream file = File.Create(path);
        file.SetLength(size);
    }

    /// <summary>A 64 MiB FAT32 at <paramref name="raw"/> holding the <c>bin</c> and <c>docs</c> folders of corpus B's
    /// <paramref name="sourceTree"/>, copied in by mtools (no mount needed).</summary>
    public static async Task MakeCorpusFatAsync(string raw, string sourceTree, string label)
    {
        CreateSparse(raw, 64L << 20);
        await ExternalTool.RunCheckedAsync("mkfs.vfat", ["--invariant", "-i", FatVolumeId, "-F", "32", "-n", label, raw]).ConfigureAwait(false);
        await ExternalTool.RunCheckedAsync("mcopy", ["-s", "-i", raw, Path.Combine(sourceTree, "bin"), Path.Combine(sourceTree, "docs"), "::/"]).ConfigureAwait(false);
    }

    /// <summary>An empty NTFS of <paramref name="size"/> bytes at <paramref name="raw"/>: <c>mkntfs -F -f OPTIONS -L LABEL</c>.</summary>
    public static async Task MakeNtfsAsync(string raw, long size, string label, params string[] options)
    {
        CreateSparse(raw, size);
        await ExternalTool.RunCheckedAsync("mkntfs", ["-F", "-f", .. options, "-L", label, raw]).ConfigureAwait(false);
    }
}
