namespace ForensicPipe.Cli.Tests;

/// <summary>Runs fpipe's command line in this process with standard output and error captured. Console is
/// process-wide: tests that use this share one collection, which xunit runs alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCapture
{
    public const string Name = "Console capture";

    internal static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(FpipeServices services, params string[] args)
    {
        TextWriter stdout = Console.Out;
        TextWriter stderr = Console.Error;
        var capturedOut = new StringWriter();
        var capturedErr = new StringWriter();
        Console.SetOut(capturedOut);
        Console.SetError(capturedErr);
        try
        {
            int exit = await FpipeCommandLine.InvokeAsync(args, services);
            return (exit, capturedOut.ToString(), capturedErr.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }
}
