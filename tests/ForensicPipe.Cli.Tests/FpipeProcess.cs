using System.Diagnostics;

namespace ForensicPipe.Cli.Tests;

/// <summary>Runs the built <c>fpipe</c> (fpipe.dll beside the tests) as a separate process.</summary>
public static class FpipeProcess
{
    private const int TimeoutSeconds = 300;

    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "fpipe.dll");

    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    /// <summary>For tests that drive the process themselves (standard input, signals, a mount that stays up).</summary>
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

    /// <summary>Runs <c>fpipe ARGUMENTS</c> with standard input closed; a run beyond 5 minutes fails as hung.</summary>
    public static Outcome Run(string workingDirectory, params string[] arguments)
    {
        ToolResult result = ExternalTool.RunAsync("dotnet", [Dll, .. arguments], workingDirectory, TimeoutSeconds).GetAwaiter().GetResult();
        return new Outcome(result.ExitCode, result.StandardOutput, result.StandardError);
    }
}
