using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Reporting;

namespace ForensicPipe.Cli.Commands;

/// <summary>Checks of the paths a command is given, made before a job is built, and where a check's report goes.</summary>
internal static class CommandPaths
{
    /// <summary>Refuses a folder or a missing path given as an input, naming the argument.</summary>
    public static void RequireInput(string path, string argument)
    {
        if (path == "-")
        {
            return;
        }
        if (Directory.Exists(path))
        {
            throw new JobValidationException(CommonOptions.CommandLine, argument, $"{path} is a directory, not an image, a device, a file or a Clonezilla image folder (it has no 'disk' or 'parts' file)");
        }
    }

    /// <summary>Refuses an existing output without <c>--overwrite</c>, and a folder as output.</summary>
    public static void RequireNewOutput(string path, bool overwrite, string argument)
    {
        if (Directory.Exists(path))
        {
            throw new JobValidationException(CommonOptions.CommandLine, argument, $"{path} is a directory; name the file to write");
        }
        if (!overwrite && File.Exists(path))
        {
            throw new JobValidationException(CommonOptions.CommandLine, argument,
                $"{path} exists; add --overwrite to replace it with its report and sidecars");
        }
    }

    /// <summary>
    /// The report of a read-only check (<c>verify</c>): <c>--report PATH</c> when given; otherwise
    /// <c>IMAGE.verify.TIMESTAMP.report.json</c> beside the checked file when its folder is writable; otherwise
    /// none, with the reason. docs/cli.md, "Reports and re-runs".
    /// </summary>
    public static (string Path, string? NoReportReason) CheckReport(string? requested, string checkedPath, string verb, DateTimeOffset now)
    {
        if (requested is not null)
        {
            return (Path.GetFullPath(requested), null);
        }
        if (checkedPath == "-")
        {
            return ("", "the image came from standard input; give --report PATH for one");
        }
        // A checked folder (a Clonezilla image) gets its report beside it, never inside it.
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(checkedPath));
        string folder = Path.GetDirectoryName(full)!;
        if (!IsWritableFolder(folder))
        {
            return ("", $"{folder} is not writable; give --report PATH for one");
        }
        return (Path.Combine(folder, $"{Path.GetFileName(full)}.{verb}.{ReportPlacement.TimeStamp(now)}{ReportPlacement.ReportSuffix}"), null);
    }

    /// <summary>Whether a file can be created in <paramref name="folder"/> (a read-only mount, permissions).</summary>
    public static bool IsWritableFolder(string folder)
    {
        try
        {
            using var probe = new FileStream(Path.Combine(folder, $".fpipe-write-check-{Environment.ProcessId}"), FileMode.CreateNew,
                FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
