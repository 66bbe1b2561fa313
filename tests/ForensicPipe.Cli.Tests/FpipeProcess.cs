using System.Diagnostics;

namespace ForensicPipe.Cli.Tests;

/// <summary>Runs the built <c>fpipe</c> (fpipe.dll beside the tests) as a separate process.</summary>
public static class FpipeProcess
{
    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "fpipe.dll");

    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    public static ProcessStartInfo StartInfo(string workingDirectory, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(Dll);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }

    public static Outcome Run(string workingDirectory, params string[] arguments)
    {
        using Process process = Process.Start(StartInfo(workingDirectory, arguments))!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"fpipe {string.Join(' ', arguments)} hung");
        }
        return new Outcome(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs a shell command (for pipes and peer tools) and returns its standard output.</summary>
    public static string Shell(string workingDirectory, string command)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{command}` exited {process.ExitCode}: {stderr.Result}");
        }
        return output;
    }
}
