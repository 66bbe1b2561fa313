namespace ForensicPipe.TestSupport;

/// <summary>The real ntfsclone (ntfs-3g).</summary>
public static class NtfscloneTool
{
    /// <summary><c>ntfsclone OPTIONS --save-image -O IMAGE RAW</c> (<c>--metadata</c> for a metadata image).</summary>
    public static Task SaveImageAsync(string raw, string image, params string[] options) =>
        ExternalTool.RunCheckedAsync("ntfsclone", [.. options, "--save-image", "-O", image, raw]);

    /// <summary><c>ntfsclone --restore-image --overwrite OUTPUT IMAGE</c>: ntfsclone's own restore into a file.</summary>
    public static Task RestoreImageAsync(string image, string output) =>
        ExternalTool.RunCheckedAsync("ntfsclone", ["--restore-image", "--overwrite", output, image]);
}
