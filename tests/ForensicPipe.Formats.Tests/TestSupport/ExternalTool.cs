using System.Diagnostics;
using System.Text;

namespace ForensicPipe.Formats.Tests.TestSupport;

/// <summary>The result of running an external tool.</summary>
internal sealed record ToolResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"{CommandLine} -> exit {ExitCode}\n{StandardError}";
}

/// <summary>
/// Runs the real tools (partclone, mkfs, …). A tool that is not installed fails the test loudly, naming the
/// Debian package to install: a test that silently skips would hide a missing install step.
/// </summary>
internal static class ExternalTool
{
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
        ["umount"] = "mount",
        ["ntfscp"] = "ntfs-3g",
        ["losetup"] = "util-linux",
        ["mke2fs"] = "e2fsprogs",
        ["partimage"] = "partimage",
        ["python3"] = "python3",
        ["bash"] = "bash",
        ["cat"] = "coreutils",
        ["tar"] = "tar xz-utils",
        ["bzip2"] = "bzip2",
        ["gzip"] = "gzip",
    };

    /// <summary>PATH for child processes, with the sbin folders (root tools) added.</summary>
    public static string SearchPath { get; } = string.Join(':',
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(s_extraPath).Distinct());

    /// <summary>Full path of <paramref name="name"/>, or an exception that says which package is missing.</summary>
    public static string Locate(string name)
    {
        foreach (string folder in SearchPath.Split(':'))
        {
            string candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        string package = s_packages.GetValueOrDefault(name, name);
        throw new InvalidOperationException(
            $"The test needs the tool '{name}', which is not installed. Install it: apt-get install -y {package}");
    }

    /// <summary>Runs the tool and returns its exit code and output.</summary>
    public static async Task<ToolResult> RunAsync(string name, IEnumerable<string> arguments, string? workingDirectory = null, int timeoutSeconds = 180)
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
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{commandLine} did not finish within {timeoutSeconds} s");
        }
        return new ToolResult(commandLine, process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs the tool and fails unless it exits with 0.</summary>
    public static async Task<ToolResult> RunCheckedAsync(string name, IEnumerable<string> arguments, string? workingDirectory = null, int timeoutSeconds = 180)
    {
        ToolResult result = await RunAsync(name, arguments, workingDirectory, timeoutSeconds);
        if (result.ExitCode != 0)
        {
            var message = new StringBuilder($"{result.CommandLine} failed with exit code {result.ExitCode}.");
            message.AppendLine().Append(Tail(result.StandardError)).AppendLine().Append(Tail(result.StandardOutput));
            throw new InvalidOperationException(message.ToString());
        }
        return result;
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}
