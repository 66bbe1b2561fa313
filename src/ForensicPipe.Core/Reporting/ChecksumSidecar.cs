namespace ForensicPipe.Core.Reporting;

/// <summary>
/// <c>md5sum</c>/<c>sha256sum</c>-compatible sidecar files (<c>OUT.md5</c>, <c>OUT.sha256</c>, …) that
/// name the output by its file name, so <c>sha256sum -c OUT.sha256</c> passes in the output's folder.
/// </summary>
public static class ChecksumSidecar
{
    /// <summary>The sidecar path of <paramref name="outputPath"/> for <paramref name="algorithm"/>.</summary>
    public static string PathFor(string outputPath, string algorithm) => $"{outputPath}.{algorithm}";

    /// <summary>Writes one sidecar line: digest, two spaces (text mode), file name.</summary>
    public static string Write(string outputPath, string algorithm, string digest)
    {
        string path = PathFor(outputPath, algorithm);
        File.WriteAllText(path, $"{digest}  {Path.GetFileName(outputPath)}\n");
        return path;
    }
}
