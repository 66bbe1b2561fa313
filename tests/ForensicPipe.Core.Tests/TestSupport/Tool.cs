using System.Diagnostics;

namespace ForensicPipe.Core.Tests.TestSupport;

/// <summary>Runs a real command-line tool (md5sum, sha256sum, …) and returns its standard output.</summary>
public static class Tool
{
    public static string Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {error}");
        }
        return output;
    }

    /// <summary>The digest printed by md5sum/sha1sum/… for <paramref name="path"/>.</summary>
    public static string Digest(string algorithm, string path) => Run($"{algorithm}sum", path).Split(' ')[0];
}
