using ForensicPipe.Core.Errors;

namespace ForensicPipe.Cli.Mount;

/// <summary>Checks a mount point before anything is mounted on it: it must exist, be a directory and be
/// empty (mounting over files would hide them).</summary>
internal static class MountPointCheck
{
    /// <summary>The full path of <paramref name="mountPoint"/>; throws <see cref="JobValidationException"/>
    /// (exit code 2) naming what is wrong.</summary>
    public static string Validate(string mountPoint)
    {
        string full = Path.GetFullPath(mountPoint);
        if (!Directory.Exists(full))
        {
            throw new JobValidationException("(command line)", "MOUNTPOINT",
                File.Exists(full) ? $"{mountPoint} is a file, not a directory" : $"{mountPoint} does not exist (create an empty directory: mkdir -p '{mountPoint}')");
        }
        if (Directory.EnumerateFileSystemEntries(full).Any())
        {
            throw new JobValidationException("(command line)", "MOUNTPOINT", $"{mountPoint} is not empty; mount on an empty directory");
        }
        return full;
    }
}
