using ForensicPipe.Core.IO;
using ForensicPipe.Core.Stages.Hashing;

namespace ForensicPipe.Core.Reporting;

/// <summary>
/// <c>md5sum</c>/<c>sha256sum</c>-compatible sidecar files (<c>OUT.md5</c>, <c>OUT.sha256</c>, …) that
/// name the output by its file name, so <c>sha256sum -c OUT.sha256</c> passes in the output's folder.
/// Sidecars belong to one output: they are removed when it is about to be replaced and again when the new
/// output takes the name, so that no checksum file of an earlier run ever stands beside evidence.
/// </summary>
public static class ChecksumSidecar
{
    /// <summary>The sidecar path of <paramref name="outputPath"/> for <paramref name="algorithm"/>.</summary>
    public static string PathFor(string outputPath, string algorithm) => $"{outputPath}.{algorithm}";

    /// <summary>Writes one sidecar line: digest, two spaces (text mode), file name; atomically.</summary>
    public static string Write(string outputPath, string algorithm, string digest)
    {
        string path = PathFor(outputPath, algorithm);
        DurableFile.WriteAtomically(path, $"{digest}  {Path.GetFileName(outputPath)}\n");
        return path;
    }

    /// <summary>Removes every sidecar of <paramref name="outputPath"/> any algorithm this build knows could
    /// have written (and their temporary names); returns the paths removed.</summary>
    public static IReadOnlyList<string> RemoveAll(string outputPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        var removed = new List<string>();
        foreach (string algorithm in HashAlgorithmKind.Names)
        {
            string path = PathFor(outputPath, algorithm);
            foreach (string candidate in (string[])[path, path + DurableFile.TemporarySuffix])
            {
                if (File.Exists(candidate))
                {
                    File.Delete(candidate);
                    removed.Add(candidate);
                }
            }
        }
        if (removed.Count > 0)
        {
            DurableFile.SyncFolderOf(outputPath);
        }
        return removed;
    }
}
