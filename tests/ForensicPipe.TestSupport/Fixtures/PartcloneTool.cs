namespace ForensicPipe.TestSupport;

/// <summary>The real partclone on PATH (Debian's 0.3.23), its log sent to /dev/null.</summary>
public static class PartcloneTool
{
    /// <summary><c>partclone.FILESYSTEM -c OPTIONS -s RAW -O IMAGE</c>: images a raw partition.</summary>
    public static Task CloneAsync(string fileSystem, string raw, string image, params string[] options) =>
        ExternalTool.RunCheckedAsync($"partclone.{fileSystem}", ["-q", "-L", "/dev/null", "-c", .. options, "-s", raw, "-O", image]);

    /// <summary><c>partclone.restore -W -s IMAGE -O OUTPUT</c>: partclone's own restore into a file. With the last
    /// block present it stops at total × block size instead of the partition size (docs/formats/partclone.md,
    /// "Reconstruction").</summary>
    public static Task RestoreAsync(string image, string output) =>
        ExternalTool.RunCheckedAsync("partclone.restore", ["-q", "-W", "-L", "/dev/null", "-s", image, "-O", output]);
}
