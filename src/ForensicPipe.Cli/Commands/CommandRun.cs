using System.CommandLine;
using ForensicPipe.Cli.Terminal;
using ForensicPipe.Core.Errors;

namespace ForensicPipe.Cli.Commands;

/// <summary>
/// The frame of a verb's action: the session log (<c>--log</c>), refusals said in command-line terms
/// (<see cref="FlagNames"/>), and the exit code of an error, so that the log records it too.
/// </summary>
internal static class CommandRun
{
    /// <summary>Runs <paramref name="body"/>.</summary>
    /// <param name="parse">The parse result.</param>
    /// <param name="log">The command's <c>--log</c> option, or null.</param>
    /// <param name="source">The name of the command's input argument (SRC, IMAGE, JOB).</param>
    /// <param name="output">The name of its output argument (DST, OUT), or "".</param>
    /// <param name="fromCommandLine">The job is built from flags (not a job file): translate JSON paths to flags.</param>
    /// <param name="body">The action.</param>
    public static async Task<int> RunAsync(ParseResult parse, Option<string?>? log, string source, string output, bool fromCommandLine,
        Func<Task<int>> body)
    {
        SessionLog? session = log is not null && parse.GetValue(log) is string path ? SessionLog.Open(path) : null;
        int exitCode = ExitCodes.Failed;
        try
        {
            try
            {
                exitCode = await body();
            }
            catch (JobValidationException error) when (fromCommandLine)
            {
                throw FlagNames.Translate(error, source, output);
            }
        }
        catch (Exception exception) when (exception is ForensicPipeException or IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            exitCode = JobExecution.Report(exception);
        }
        catch (Exception exception) when (session is not null)
        {
            session.Record($"fpipe: internal error: {exception.GetType().Name}: {exception.Message}");
            throw;
        }
        finally
        {
            session?.End(exitCode);
            session?.Dispose();
        }
        return exitCode;
    }
}
