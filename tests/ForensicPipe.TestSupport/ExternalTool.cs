using System.Diagnostics;
using System.Text;

namespace ForensicPipe.TestSupport;

/// <summary>
/// Runs the real tools (partclone, mkfs, losetup, sha256sum, …) and bash pipelines, with standard input closed,
/// both outputs captured, <c>LC_ALL=C</c>, the sbin folders on PATH and a time-out. The checked forms throw
/// <see cref="InvalidOperationException"/> naming the command, its exit code and its standard error. A tool that is
/// not installed fails the test loudly, naming the Debian package to install: a test that silently skips would hide
/// a missing install step (.ci/run installs them).
/// </summary>
public static class ExternalTool
{
    /// <summary>How long a tool may run unless the caller says otherwise; generous, since the test machine may be
    /// loaded, but a hung tool still fails its test instead of hanging the run.</summary>
    public const int DefaultTimeoutSeconds = 600;

    private const int TailLength = 4000;

    private static readonly string[] s_extraPath = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

    private static readonly Dictionary<string, string> s_packages = new()
    {
        ["partclone.extfs"] = "partclone",
        ["partclone.fat"] = "partclone",
        ["partclone.ntfs"] = "partclone",
        ["partclone.xfs"] = "partclone",
        ["partclone.btrfs"] = "partclone",
        ["partclone.chkimg"] = "partclone",
        ["partclone.restore"] = "partclone",
        ["mkfs.xfs"] = "xfsprogs",
        ["mkfs.btrfs"] = "btrfs-progs",
        ["mkfs.vfat"] = "dosfstools",
        ["mcopy"] = "mtools",
        ["mkntfs"] = "ntfs-3g",
        ["ntfsclone"] = "ntfs-3g",
        ["ntfs-3g"] = "ntfs-3g",
        ["ntfscp"] = "ntfs-3g",
        ["umount"] = "mount",
        ["losetup"] = "util-linux",
        ["mke2fs"] = "e2fsprogs",
        ["partimage"] = "partimage",
        ["ddrescuelog"] = "gddrescue",
        ["python3"] = "python3",
        ["bash"] = "bash",
        ["cat"] = "coreutils",
        ["stat"] = "coreutils",
        ["mkfifo"] = "coreutils",
        ["tar"] = "tar xz-utils",
        ["bzip2"] = "bzip2",
        ["gzip"] = "gzip",
    };

    /// <summary>PATH for child processes, with the sbin folders (root tools) added.</summary>
    public static string SearchPath { get; } = string.Join(':',
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(s_extraPath).Distinct());

    /// <summary>Full path of <paramref name="name"/> (a path is taken as it is), or an exception that says which
    /// package is missing.</summary>
    public static string Locate(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(name) ? name : throw Missing(name);
        }
        foreach (string folder in SearchPath.Split(':'))
        {
            string candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw Missing(name);
    }

    /// <summary>Runs the tool and returns its exit code and output, whatever the exit code.</summary>
    public static async Task<ToolResult> RunAsync(string name, IEnumerable<string> arguments, string? workingDirectory = null, int timeoutSeconds = DefaultTimeoutSeconds)
    {
        var info = new ProcessStartInfo(Locate(name))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["PATH"] = SearchPath;
        info.Environment["LC_ALL"] = "C";
        string commandLine = $"{name} {string.Join(' ', info.ArgumentList)}";

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {commandLine}");
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            // ConfigureAwait(false) throughout, so that the synchronous forms may block on this safely.
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{commandLine} did not finish within {timeoutSeconds} s");
        }
        return new ToolResult(commandLine, process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Runs the tool and fails unless it exits with 0.</summary>
    public static async Task<ToolResult> RunCheckedAsync(string name, IEnumerable<string> arguments, string? workingDirectory = null, int timeoutSeconds = DefaultTimeoutSeconds) =>
        EnsureSuccess(await RunAsync(name, arguments, workingDirectory, timeoutSeconds).ConfigureAwait(false));

    /// <summary>Runs the tool, fails unless it exits with 0, and returns its standard output.</summary>
    public static string Run(string name, params string[] arguments) =>
        RunCheckedAsync(name, arguments).GetAwaiter().GetResult().StandardOutput;

    /// <summary>Runs <paramref name="command"/> with <c>bash -c</c> in <paramref name="workingDirectory"/> (for pipes,
    /// redirections and peer tools), fails unless it exits with 0, and returns its standard output.</summary>
    public static string Shell(string workingDirectory, string command, int timeoutSeconds = DefaultTimeoutSeconds) =>
        ShellAsync(workingDirectory, command, timeoutSeconds).GetAwaiter().GetResult();

    /// <summary>The asynchronous form of <see cref="Shell"/>.</summary>
    public static async Task<string> ShellAsync(string workingDirectory, string command, int timeoutSeconds = DefaultTimeoutSeconds) =>
        (await RunCheckedAsync("bash", ["-c", command], workingDirectory, timeoutSeconds).ConfigureAwait(false)).StandardOutput;

    /// <summary>The digest that coreutils' <c>ALGORITHMsum</c> (md5sum, sha1sum, sha256sum, …) prints for
    /// <paramref name="path"/>.</summary>
    public static string Digest(string algorithm, string path) => Run($"{algorithm}sum", path).Split(' ')[0];

    private static ToolResult EnsureSuccess(ToolResult result)
    {
        if (result.ExitCode != 0)
        {
            var message = new StringBuilder($"{result.CommandLine} failed with exit code {result.ExitCode}.");
            message.AppendLine().Append(Tail(result.StandardError)).AppendLine().Append(Tail(result.StandardOutput));
            throw new InvalidOperationException(message.ToString());
        }
        return result;
    }

    private static InvalidOperationException Missing(string name) =>
        new($"The test needs the tool '{name}', which is not installed. Install it: apt-get install -y {s_packages.GetValueOrDefault(name, name)}");

    private static string Tail(string text) => text.Length <= TailLength ? text : text[^TailLength..];
}
