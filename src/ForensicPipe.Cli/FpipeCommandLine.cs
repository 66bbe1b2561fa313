using System.CommandLine;
using ForensicPipe.Cli.Commands;
using ForensicPipe.Cli.Telemetry;
using ForensicPipe.Core.Errors;

namespace ForensicPipe.Cli;

/// <summary>The fpipe command line: every verb, the global options, and the one place where errors become
/// one line on standard error and an exit code.</summary>
internal static class FpipeCommandLine
{
    /// <summary>The root command with every verb, served by <paramref name="services"/>.</summary>
    public static RootCommand CreateRoot(FpipeServices services)
    {
        var root = new RootCommand("fpipe — forensic imaging pipeline: hashed evidence copies, backup-image checks and restores.")
        {
            RunCommand.Create(services),
            ValidateCommand.Create(services),
            ImageCommand.Create(services),
            SchemaCommand.Create(services),
            InfoCommand.Create(services),
            VerifyCommand.Create(services),
            RestoreCommand.Create(services),
            DevicesCommand.Create(),
            MountCommand.Create(services),
        };
        root.Options.Add(CommonOptions.Quiet);
        root.Options.Add(TelemetryOptions.Telemetry);
        root.Options.Add(TelemetryOptions.OtlpEndpoint);
        root.Options.Add(TelemetryOptions.OtlpProtocol);
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code (<see cref="ExitCodes"/>).</summary>
    public static async Task<int> InvokeAsync(string[] args, FpipeServices services)
    {
        ParseResult parse = CreateRoot(services).Parse(args);
        if (parse.Errors.Count > 0)
        {
            Console.Error.WriteLine($"fpipe: {string.Join("; ", parse.Errors.Select(error => error.Message))} (fpipe --help lists the commands)");
            return ExitCodes.Usage;
        }
        try
        {
            // Ctrl+C is handled by JobExecution, which lets the pipeline drain and writes the report.
            return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
        }
        catch (Exception exception) when (exception is ForensicPipeException or IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            return JobExecution.Report(exception);
        }
        catch (Exception exception) when (Environment.GetEnvironmentVariable("FPIPE_DEBUG") is null)
        {
            Console.Error.WriteLine($"fpipe: internal error: {exception.GetType().Name}: {exception.Message} (set FPIPE_DEBUG=1 for the stack trace)");
            return ExitCodes.Failed;
        }
    }
}
