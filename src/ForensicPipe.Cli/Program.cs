using System.CommandLine;
using ForensicPipe.Cli;
using ForensicPipe.Cli.Commands;
using ForensicPipe.Cli.Telemetry;
using ForensicPipe.Core.Errors;

// Every busy Dataflow block keeps a pool thread for as long as its queue has work (one per hasher, sink
// and stage); with two cores the pool would start with two threads and add more only slowly.
ThreadPool.GetMinThreads(out int workers, out int completionPorts);
ThreadPool.SetMinThreads(Math.Max(workers, 16), completionPorts);

if (Environment.GetEnvironmentVariable(MountCommand.BackgroundChildVariable) == "1")
{
    // The background process of `fpipe mount`: its own session, so the terminal's signals do not reach it.
    ForensicPipe.Cli.Mount.FuseNative.SetSid();
}

var root = new RootCommand("fpipe — forensic imaging pipeline: hashed evidence copies, backup-image checks and restores.")
{
    RunCommand.Create(),
    ValidateCommand.Create(),
    ImageCommand.Create(),
    SchemaCommand.Create(),
    InfoCommand.Create(),
    VerifyCommand.Create(),
    RestoreCommand.Create(),
    DevicesCommand.Create(),
    MountCommand.Create(),
};
root.Options.Add(CommonOptions.Quiet);
root.Options.Add(TelemetryOptions.Telemetry);
root.Options.Add(TelemetryOptions.OtlpEndpoint);
root.Options.Add(TelemetryOptions.OtlpProtocol);

ParseResult parse = root.Parse(args);
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
